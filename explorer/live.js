// The live page: snapshots of one model as a main trains it
// (helpers.live), fetched from the main while it runs, or held in the
// page itself (the replay). Every picture is drawn from a snapshot's
// weights with the layers of layers.js.
const DATA = JSON.parse(document.getElementById('data').textContent);
const $ = (id) => document.getElementById(id);
const format = (v) => (Math.abs(v) < 10 ? v.toFixed(4) : v.toFixed(2));

const pixelBytes = Uint8Array.from(atob(DATA.pixels), (c) => c.charCodeAt(0));
const digitPixels = (i) =>
  Array.from(pixelBytes.subarray(784 * i, 784 * i + 784), (v) => v / 255);

const snapshots = [];
const loaded = new Map();
const planes = new Map();
const state = { shown: -1, done: DATA.mode === 'replay', stopped: false };

// ---- a snapshot's model -------------------------------------------------

function modelAt(i) {
  if (!loaded.has(i)) loaded.set(i, loadModel(snapshots[i].model));
  return loaded.get(i);
}

const encode = (i, pixels) => encodeWith(modelAt(i), pixels);
const decode = (i, code) => decodeWith(modelAt(i), code);
const distribution = (i, pixels) => distributionOf(modelAt(i), pixels);

// The VAE's means of the latent test digits at snapshot i, worked out once
function planeAt(i) {
  if (!planes.has(i)) {
    const means = new Float32Array(2 * DATA.latent);
    for (let d = 0; d < DATA.latent; d++) means.set(encode(i, digitPixels(d)), 2 * d);
    planes.set(i, means);
  }
  return planes.get(i);
}

// ---- the losses -----------------------------------------------------------

function paintLosses(snapshot) {
  const canvas = $('losses');
  const context = canvas.getContext('2d');
  const { width, height } = canvas;
  const pad = { left: 54, right: 12, top: 12, bottom: 30 };
  const ours = snapshot.loss.concat(snapshot.valLoss).filter(Number.isFinite);
  const values = ours.concat(DATA.spec.flatMap(([, loss, val]) => [loss, val]));
  const top = Math.max(...values) * 1.05;
  const bottom = Math.min(...values) * 0.9;
  const x = (epoch) => pad.left + (width - pad.left - pad.right) * epoch / DATA.epochs;
  const y = (v) => height - pad.bottom - (height - pad.top - pad.bottom) * (v - bottom) / (top - bottom);
  context.clearRect(0, 0, width, height);
  context.strokeStyle = '#999';
  context.strokeRect(pad.left, pad.top, width - pad.left - pad.right,
                     height - pad.top - pad.bottom);
  context.fillStyle = '#444';
  context.font = '12px system-ui, sans-serif';
  context.fillText(format(top), 4, pad.top + 10);
  context.fillText(format(bottom), 4, height - pad.bottom);
  context.fillText('epoch 0', pad.left, height - 10);
  context.fillText(`epoch ${DATA.epochs}`, width - pad.right - 60, height - 10);
  const curve = (series, colour, dashed) => {
    context.strokeStyle = colour;
    context.setLineDash(dashed ? [6, 4] : []);
    context.lineWidth = 2;
    context.beginPath();
    series.forEach((v, e) => {
      if (!Number.isFinite(v)) return;
      if (e === 0) context.moveTo(x(1), y(v)); else context.lineTo(x(e + 1), y(v));
    });
    context.stroke();
    context.setLineDash([]);
    context.lineWidth = 1;
    // a dot at every epoch, so that one epoch shows too
    context.fillStyle = colour;
    series.forEach((v, e) => {
      if (Number.isFinite(v)) context.fillRect(x(e + 1) - 2, y(v) - 2, 4, 4);
    });
  };
  curve(snapshot.loss, '#1f77b4', false);
  curve(snapshot.valLoss, '#ff7f0e', true);
  for (const [epoch, loss, val] of DATA.spec) {
    if (epoch > DATA.epochs) continue;
    for (const [v, colour] of [[loss, '#1f77b4'], [val, '#ff7f0e']]) {
      context.strokeStyle = colour;
      context.beginPath();
      context.arc(x(epoch), y(v), 3.5, 0, 2 * Math.PI);
      context.stroke();
    }
  }
}

// ---- the digits and the code ------------------------------------------------

function paintDigits(i) {
  const table = $('digits');
  if (!table.rows.length) {
    for (const label of ['test digit', 'reconstructed']) {
      const row = table.insertRow();
      row.insertCell().textContent = label;
      for (let d = 0; d < DATA.shown; d++) {
        row.insertCell().appendChild(makeCanvas(36, 'thumb'));
      }
    }
    for (let d = 0; d < DATA.shown; d++) {
      paintDigit(table.rows[0].cells[d + 1].firstChild, digitPixels(d));
    }
  }
  for (let d = 0; d < DATA.shown; d++) {
    const code = encode(i, digitPixels(d));
    paintDigit(table.rows[1].cells[d + 1].firstChild, decode(i, code));
  }
}

function paintCode(i) {
  const model = modelAt(i);
  const box = $('code');
  const codes = [];
  for (let d = 0; d < DATA.shown; d++) codes.push(encode(i, digitPixels(d)));
  const values = codes.flat();
  const zeros = values.filter((v) => v === 0).length;
  const share = `${Math.round(100 * zeros / values.length)}% of the code values of these ${DATA.shown} digits are zero`;
  if (model.mean) {
    const { mean, logVar } = distribution(i, digitPixels(0));
    box.textContent = `first digit: mean (${mean.map(format).join(', ')}), ` +
      `standard deviation (${logVar.map((v) => format(Math.exp(v / 2))).join(', ')})`;
    $('code-caption').textContent = 'The VAE codes a digit as a normal ' +
      'distribution; its plane is beside.';
  } else if (model.codeShape.length === 3) {
    box.replaceChildren(document.createElement('div'));
    box.firstChild.className = 'maps';
    paintMaps(box.firstChild, codes[0], model.codeShape);
    $('code-caption').textContent = `The first digit's code: eight 4 x 4 maps. ${share}.`;
  } else {
    let canvas = box.querySelector('canvas');
    if (!canvas) {
      box.replaceChildren(makeCanvas(360, 'bars'));
      canvas = box.firstChild;
      canvas.height = 70;
    }
    paintBars(canvas, codes[0]);
    $('code-caption').textContent = `The first digit's ${codes[0].length} code units (zeros red). ${share}.`;
  }
}

// ---- the VAE's latent plane -------------------------------------------------

const EXTENT = 4;

function paintPlane(i) {
  const canvas = $('plane');
  const context = canvas.getContext('2d');
  const size = canvas.width;
  const at = (v) => (v + EXTENT) / (2 * EXTENT) * size;
  const means = planeAt(i);
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, size, size);
  context.strokeStyle = '#dddddd';
  context.beginPath();
  context.moveTo(at(0), 0);
  context.lineTo(at(0), size);
  context.moveTo(0, size - at(0));
  context.lineTo(size, size - at(0));
  context.stroke();
  for (let d = 0; d < DATA.latent; d++) {
    context.fillStyle = DIGIT_COLOURS[DATA.labels[d]];
    context.fillRect(at(means[2 * d]) - 1, size - at(means[2 * d + 1]) - 1, 2, 2);
  }
}

// ---- showing a snapshot -------------------------------------------------------

function show(i) {
  const snapshot = snapshots[i];
  state.shown = i;
  $('slider').value = i;
  const where = state.done ? 'training finished' :
    (state.stopped ? 'the main has stopped' : 'training');
  $('status').textContent = `${snapshot.label} (${i + 1} of ${snapshots.length}; ${where})`;
  paintLosses(snapshot);
  paintDigits(i);
  paintCode(i);
  if (DATA.latent) paintPlane(i);
  window.live.painted += 1;
}

function add(more) {
  for (const snapshot of more) snapshots[snapshot.index] = snapshot;
  $('slider').max = snapshots.length - 1;
  if ($('follow').checked || state.shown < 0) show(snapshots.length - 1);
}

// Asks the main for the snapshots not yet here until training is done; a
// main that has gone away ends it
async function poll() {
  while (!state.done) {
    let answer;
    try {
      const response = await fetch(`/snapshots?after=${snapshots.length - 1}`);
      answer = await response.json();
    } catch (error) {
      state.stopped = true;
      if (state.shown >= 0) show(state.shown);
      else $('status').textContent = 'the main has stopped';
      return;
    }
    state.done = answer.done;
    if (answer.snapshots.length) add(answer.snapshots);
    else if (state.done && state.shown >= 0) show(state.shown);
  }
}

function start() {
  $('title').textContent = `${DATA.main}, the ${DATA.model} autoencoder`;
  $('meta').textContent = `TensorFlow ${DATA.tensorflow}, ` +
    `${DATA.epochs} epoch${DATA.epochs === 1 ? '' : 's'}; ` +
    (DATA.mode === 'replay' ? 'a replay of its snapshots, held in this page.' :
      'live from the training main, on this machine.');
  $('slider').addEventListener('input', () => {
    $('follow').checked = false;
    show(Number($('slider').value));
  });
  if (DATA.latent) {
    $('plane-panel').classList.remove('hidden');
    $('points').textContent = DATA.latent;
    paintLegend($('legend'));
  }
  window.live.ready = true;
  if (DATA.mode === 'replay') add(DATA.snapshots.map((s, index) => Object.assign({}, s, { index })));
  else poll();
}

window.live = {
  ready: false, painted: 0, encode, decode, distribution,
  count: () => snapshots.length, label: (i) => snapshots[i].label,
  snapshot: (i) => snapshots[i],
  epoch: (i) => snapshots[i].epoch, shown: () => state.shown,
  done: () => state.done, show,
};
start();
