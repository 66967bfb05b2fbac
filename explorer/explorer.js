// The explorer page: draw or pick a digit, see the four trained models
// encode and decode it, walk the VAE's latent plane, interpolate.
const DATA = JSON.parse(document.getElementById('data').textContent);

// ---- the four models --------------------------------------------------

const MODELS = {};
for (const [name, description] of Object.entries(DATA.models)) MODELS[name] = loadModel(description);
const NAMES = Object.keys(MODELS);
const distribution = (name, pixels) => distributionOf(MODELS[name], pixels);
const encode = (name, pixels) => encodeWith(MODELS[name], pixels);
const decode = (name, code) => decodeWith(MODELS[name], code);

window.explorer = { encode, decode, distribution, names: NAMES };

// ---- the page -------------------------------------------------------------

const state = { pixels: new Float64Array(784), label: null };
const digits = Uint8Array.from(atob(DATA.digits.pixels), (c) => c.charCodeAt(0));
const digitPixels = (i) => Array.from(digits.subarray(784 * i, 784 * i + 784), (v) => v / 255);
const $ = (id) => document.getElementById(id);
const format = (v) => (Math.abs(v) < 10 ? v.toFixed(3) : v.toFixed(1));

function setDigit(pixels, label) {
  state.pixels = Float64Array.from(pixels);
  state.label = label;
  update();
}

function update() {
  paintDigit($('pad'), state.pixels);
  $('source').textContent = state.label === null ? 'your drawing' :
    `test digit (a ${state.label})`;
  for (const name of NAMES) {
    const model = MODELS[name];
    const card = $(`card-${name}`);
    let code;
    let reconstruction;
    if (model.mean) {
      const { mean, logVar } = distribution(name, state.pixels);
      code = mean;
      reconstruction = decode(name, mean);
      const sigma = logVar.map((v) => Math.exp(v / 2));
      card.querySelector('.code').textContent =
        `mean (${mean.map(format).join(', ')}), standard deviation ` +
        `(${sigma.map(format).join(', ')})`;
      state.latent = { mean, sigma };
    } else {
      code = encode(name, state.pixels);
      reconstruction = decode(name, code);
      const zeros = code.filter((v) => v === 0).length;
      if (model.codeShape.length === 3) {
        paintMaps(card.querySelector('.maps'), code, model.codeShape);
      } else {
        paintBars(card.querySelector('.bars'), code);
      }
      card.querySelector('.code').textContent =
        `${zeros} of ${code.length} code values are zero (${Math.round(100 * zeros / code.length)}%)`;
    }
    paintDigit(card.querySelector('.reconstruction'), reconstruction);
    let error = 0;
    for (let i = 0; i < 784; i++) error += (state.pixels[i] - reconstruction[i]) ** 2;
    card.querySelector('.error').textContent = `squared error ${error.toFixed(2)}`;
  }
  paintPlane();
  paintInterpolation();
}

// ---- the drawing pad ------------------------------------------------------

function padPoint(event) {
  const box = $('pad').getBoundingClientRect();
  return [28 * (event.clientX - box.left) / box.width,
          28 * (event.clientY - box.top) / box.height];
}

// A soft round pen about two pixels wide, like MNIST's strokes
function stroke([x, y]) {
  for (let row = Math.floor(y - 2); row <= Math.ceil(y + 2); row++) {
    for (let col = Math.floor(x - 2); col <= Math.ceil(x + 2); col++) {
      if (row < 0 || row > 27 || col < 0 || col > 27) continue;
      const distance = Math.hypot(col + 0.5 - x, row + 0.5 - y);
      const ink = Math.min(1, Math.max(0, 1.9 - distance));
      const i = row * 28 + col;
      state.pixels[i] = Math.max(state.pixels[i], ink);
    }
  }
}

function setUpPad() {
  const pad = $('pad');
  let drawing = false;
  let queued = false;
  const draw = (event) => {
    stroke(padPoint(event));
    state.label = null;
    if (!queued) {
      queued = true;
      requestAnimationFrame(() => { queued = false; update(); });
    }
  };
  pad.addEventListener('pointerdown', (event) => {
    drawing = true;
    pad.setPointerCapture(event.pointerId);
    draw(event);
  });
  pad.addEventListener('pointermove', (event) => { if (drawing) draw(event); });
  pad.addEventListener('pointerup', () => { drawing = false; });
  pad.addEventListener('pointercancel', () => { drawing = false; });
  $('clear').addEventListener('click', () => setDigit(new Float64Array(784), null));
}

function setUpStrip() {
  DATA.digits.labels.forEach((label, i) => {
    const canvas = makeCanvas(42, 'thumb');
    canvas.title = `test digit ${DATA.digits.indices[i]}: a ${label}`;
    paintDigit(canvas, digitPixels(i));
    canvas.addEventListener('click', () => setDigit(digitPixels(i), label));
    $('strip').appendChild(canvas);
    for (const select of [$('from'), $('to')]) {
      select.add(new Option(`a ${label} (test digit ${DATA.digits.indices[i]})`, i));
    }
  });
  // a 2 to a 7 at first: two digits whose codes lie far apart
  $('from').value = DATA.digits.labels.indexOf(2);
  $('to').value = DATA.digits.labels.indexOf(7);
  for (const select of [$('from'), $('to')]) {
    select.addEventListener('change', paintInterpolation);
  }
}

// ---- the VAE's latent plane ----------------------------------------------

const PLANE = { lo: -DATA.latent.extent, hi: DATA.latent.extent };
const points = floats(DATA.latent.points);
const toPlane = (v, size) => (v - PLANE.lo) / (PLANE.hi - PLANE.lo) * size;
const fromPlane = (p, size) => PLANE.lo + p / size * (PLANE.hi - PLANE.lo);

function paintPlane() {
  const canvas = $('plane');
  const context = canvas.getContext('2d');
  const size = canvas.width;
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, size, size);
  context.strokeStyle = '#dddddd';
  context.beginPath();
  context.moveTo(toPlane(0, size), 0);
  context.lineTo(toPlane(0, size), size);
  context.moveTo(0, size - toPlane(0, size));
  context.lineTo(size, size - toPlane(0, size));
  context.stroke();
  DATA.latent.labels.forEach((label, i) => {
    context.fillStyle = DIGIT_COLOURS[label];
    context.fillRect(toPlane(points[2 * i], size) - 1,
                     size - toPlane(points[2 * i + 1], size) - 1, 2, 2);
  });
  if (state.latent) {
    const { mean, sigma } = state.latent;
    const x = toPlane(mean[0], size);
    const y = size - toPlane(mean[1], size);
    const scale = size / (PLANE.hi - PLANE.lo);
    context.strokeStyle = '#000000';
    context.lineWidth = 2;
    context.beginPath();
    context.ellipse(x, y, Math.max(1, sigma[0] * scale),
                    Math.max(1, sigma[1] * scale), 0, 0, 2 * Math.PI);
    context.stroke();
    context.fillStyle = '#000000';
    context.beginPath();
    context.arc(x, y, 3.5, 0, 2 * Math.PI);
    context.fill();
    context.lineWidth = 1;
  }
  if (state.probe) {
    const [px, py] = state.probe;
    context.strokeStyle = '#000000';
    context.strokeRect(toPlane(px, size) - 5, size - toPlane(py, size) - 5, 10, 10);
  }
}

function setUpPlane() {
  const canvas = $('plane');
  paintLegend($('legend'));
  const probe = (event) => {
    const box = canvas.getBoundingClientRect();
    const size = canvas.width;
    const x = fromPlane((event.clientX - box.left) / box.width * size, size);
    const y = fromPlane(size - (event.clientY - box.top) / box.height * size, size);
    state.probe = [x, y];
    paintDigit($('decoded'), decode('variational', [x, y]));
    $('probe').textContent = `z = (${x.toFixed(2)}, ${y.toFixed(2)})`;
    paintPlane();
  };
  canvas.addEventListener('pointermove', probe);
  canvas.addEventListener('pointerdown', (event) => {
    canvas.setPointerCapture(event.pointerId);
    probe(event);
  });
  probe({ clientX: canvas.getBoundingClientRect().left + canvas.width / 2,
          clientY: canvas.getBoundingClientRect().top + canvas.height / 2 });
}

// ---- interpolation ----------------------------------------------------------

function paintInterpolation() {
  const from = digitPixels(Number($('from').value));
  const to = digitPixels(Number($('to').value));
  const table = $('interpolation');
  table.replaceChildren();
  for (const name of NAMES) {
    const row = table.insertRow();
    row.insertCell().textContent = name;
    const a = encode(name, from);
    const b = encode(name, to);
    for (let step = 0; step < 10; step++) {
      const t = step / 9;
      const code = a.map((v, i) => (1 - t) * v + t * b[i]);
      const canvas = makeCanvas(42, 'thumb');
      paintDigit(canvas, decode(name, code));
      row.insertCell().appendChild(canvas);
    }
  }
}

// ---- start ----------------------------------------------------------------

function start() {
  for (const name of NAMES) {
    const model = MODELS[name];
    const card = $(`card-${name}`);
    card.querySelector('.trained').textContent =
      `${model.epochs} epochs on ${model.trainSamples} digits: loss ` +
      `${format(model.loss)}, val_loss ${format(model.valLoss)}`;
  }
  $('line').textContent = `TensorFlow ${DATA.tensorflow} (${DATA.line})`;
  $('extent').textContent = `[${PLANE.lo}, ${PLANE.hi}] x [${PLANE.lo}, ${PLANE.hi}]`;
  setUpPad();
  setUpStrip();
  setUpPlane();
  setDigit(digitPixels(0), DATA.digits.labels[0]);
  window.explorer.ready = true;
}

start();
