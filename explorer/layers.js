// The explorer's forward passes and page. Each layer kind the four
// autoencoders use is one small function named after its Keras layer:
// dense, conv2d, maxPooling2d, upSampling2d, with relu, sigmoid and
// linear activations. Images are {height, width, channels, values},
// values in Keras's order (row, column, channel), as Flatten would read
// them; dense layers take and give plain arrays.
'use strict';

const DATA = JSON.parse(document.getElementById('data').textContent);

// ---- the layers -----------------------------------------------------

const ACTIVATIONS = {
  relu: (x) => (x > 0 ? x : 0),
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  linear: (x) => x,
};

// Dense: outputs[j] = activation(sum_i inputs[i] * kernel[i][j] + bias[j])
function dense(layer, inputs) {
  const { kernel, bias, units } = layer;
  const outputs = new Float64Array(units);
  for (let j = 0; j < units; j++) outputs[j] = bias[j];
  for (let i = 0; i < inputs.length; i++) {
    const x = inputs[i];
    if (x === 0) continue;
    const row = i * units;
    for (let j = 0; j < units; j++) outputs[j] += x * kernel[row + j];
  }
  const f = ACTIVATIONS[layer.activation];
  for (let j = 0; j < units; j++) outputs[j] = f(outputs[j]);
  return outputs;
}

// Conv2D with a 3x3 kernel, stride 1: 'same' pads one pixel of zeros all
// round and keeps the size, 'valid' pads none and trims one each side.
// The kernel is Keras's (rows, cols, channels in, filters) array.
function conv2d(layer, image) {
  const { kernel, bias, filters } = layer;
  const size = layer.kernelSize;
  const pad = layer.padding === 'same' ? (size - 1) / 2 : 0;
  const height = image.height + 2 * pad - size + 1;
  const width = image.width + 2 * pad - size + 1;
  const channels = image.channels;
  const values = new Float64Array(height * width * filters);
  const f = ACTIVATIONS[layer.activation];
  for (let row = 0; row < height; row++) {
    for (let col = 0; col < width; col++) {
      const out = (row * width + col) * filters;
      for (let k = 0; k < filters; k++) values[out + k] = bias[k];
      for (let dy = 0; dy < size; dy++) {
        const y = row + dy - pad;
        if (y < 0 || y >= image.height) continue;
        for (let dx = 0; dx < size; dx++) {
          const x = col + dx - pad;
          if (x < 0 || x >= image.width) continue;
          const pixel = (y * image.width + x) * channels;
          const taps = (dy * size + dx) * channels * filters;
          for (let c = 0; c < channels; c++) {
            const v = image.values[pixel + c];
            if (v === 0) continue;
            const tap = taps + c * filters;
            for (let k = 0; k < filters; k++) {
              values[out + k] += v * kernel[tap + k];
            }
          }
        }
      }
      for (let k = 0; k < filters; k++) values[out + k] = f(values[out + k]);
    }
  }
  return { height, width, channels: filters, values };
}

// MaxPooling2D, 2x2 with stride 2 and 'same' padding: an odd side rounds
// up (7 -> 4), its last window holding the one row or column left.
function maxPooling2d(layer, image) {
  const height = Math.ceil(image.height / 2);
  const width = Math.ceil(image.width / 2);
  const channels = image.channels;
  const values = new Float64Array(height * width * channels);
  for (let row = 0; row < height; row++) {
    for (let col = 0; col < width; col++) {
      for (let c = 0; c < channels; c++) {
        let best = -Infinity;
        for (let y = 2 * row; y < Math.min(2 * row + 2, image.height); y++) {
          for (let x = 2 * col; x < Math.min(2 * col + 2, image.width); x++) {
            best = Math.max(best, image.values[(y * image.width + x) * channels + c]);
          }
        }
        values[(row * width + col) * channels + c] = best;
      }
    }
  }
  return { height, width, channels, values };
}

// UpSampling2D, 2x2 nearest: every value fills a 2 x 2 block
function upSampling2d(layer, image) {
  const height = image.height * 2;
  const width = image.width * 2;
  const channels = image.channels;
  const values = new Float64Array(height * width * channels);
  for (let row = 0; row < height; row++) {
    for (let col = 0; col < width; col++) {
      const from = ((row >> 1) * image.width + (col >> 1)) * channels;
      const to = (row * width + col) * channels;
      for (let c = 0; c < channels; c++) values[to + c] = image.values[from + c];
    }
  }
  return { height, width, channels, values };
}

const LAYERS = { dense, conv2d, maxPooling2d, upSampling2d };

const isImage = (x) => x.channels !== undefined;

// Runs layers in turn; an image entering a dense layer is flattened
function run(layers, inputs) {
  let x = inputs;
  for (const layer of layers) {
    if (layer.kind === 'dense' && isImage(x)) x = x.values;
    x = LAYERS[layer.kind](layer, x);
  }
  return x;
}

// ---- the four models --------------------------------------------------

function floats(base64) {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return new Float32Array(bytes.buffer);
}

function unpack(layers) {
  return layers.map((layer) => Object.assign({}, layer, layer.kernel ? {
    kernel: floats(layer.kernel), bias: floats(layer.bias),
  } : {}));
}

const MODELS = {};
for (const [name, model] of Object.entries(DATA.models)) {
  MODELS[name] = Object.assign({}, model, {
    encoder: unpack(model.encoder),
    decoder: unpack(model.decoder),
    mean: model.mean && unpack([model.mean])[0],
    logVar: model.logVar && unpack([model.logVar])[0],
  });
}
const NAMES = Object.keys(MODELS);

function asInput(model, values) {
  return model.inputShape.length === 3 ?
    { height: 28, width: 28, channels: 1, values: Float64Array.from(values) } :
    Float64Array.from(values);
}

function flat(x) {
  return Array.from(isImage(x) ? x.values : x);
}

// The VAE's encoder: its hidden layers, then the mean and log variance
function distribution(name, pixels) {
  const model = MODELS[name];
  const hidden = run(model.encoder, asInput(model, pixels));
  return { mean: flat(dense(model.mean, hidden)),
           logVar: flat(dense(model.logVar, hidden)) };
}

// The code of pixels (784 numbers in [0, 1], row by row): the encoder's
// output, flat; for the VAE, the mean of q(z|x)
function encode(name, pixels) {
  const model = MODELS[name];
  if (model.mean) return distribution(name, pixels).mean;
  return flat(run(model.encoder, asInput(model, pixels)));
}

// The 784 pixels the decoder makes of a code (flat, as encode gives it)
function decode(name, code) {
  const model = MODELS[name];
  const shape = model.codeShape;
  const inputs = shape.length === 3 ?
    { height: shape[0], width: shape[1], channels: shape[2],
      values: Float64Array.from(code) } : Float64Array.from(code);
  return flat(run(model.decoder, inputs));
}

window.explorer = { encode, decode, distribution, names: NAMES };

// ---- drawing ------------------------------------------------------------

const DIGIT_COLOURS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd',
                       '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

function paintDigit(canvas, pixels) {
  const context = canvas.getContext('2d');
  const image = context.createImageData(28, 28);
  for (let i = 0; i < 784; i++) {
    const v = Math.round(255 * Math.min(1, Math.max(0, pixels[i])));
    image.data.set([v, v, v, 255], 4 * i);
  }
  const small = document.createElement('canvas');
  small.width = small.height = 28;
  small.getContext('2d').putImageData(image, 0, 0);
  context.imageSmoothingEnabled = false;
  context.drawImage(small, 0, 0, canvas.width, canvas.height);
}

function makeCanvas(size, className) {
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = size;
  if (className) canvas.className = className;
  return canvas;
}

// 32 code units as bars, zeros left empty
function paintBars(canvas, code) {
  const context = canvas.getContext('2d');
  const top = Math.max(1e-6, ...code);
  const step = canvas.width / code.length;
  context.clearRect(0, 0, canvas.width, canvas.height);
  context.fillStyle = '#f3f3f3';
  context.fillRect(0, 0, canvas.width, canvas.height);
  code.forEach((v, i) => {
    const h = (canvas.height - 2) * v / top;
    context.fillStyle = v > 0 ? '#3465a4' : '#cc0000';
    context.fillRect(i * step + 1, canvas.height - Math.max(h, v > 0 ? 1 : 2),
                     step - 2, Math.max(h, v > 0 ? 1 : 2));
  });
}

// The convolutional code: eight 4 x 4 maps, each scaled to its maximum
function paintMaps(container, code, shape) {
  const [rows, cols, filters] = shape;
  const top = Math.max(1e-6, ...code);
  container.replaceChildren();
  for (let k = 0; k < filters; k++) {
    const map = new Float64Array(rows * cols);
    for (let i = 0; i < rows * cols; i++) map[i] = code[i * filters + k] / top;
    const canvas = makeCanvas(44, 'map');
    const context = canvas.getContext('2d');
    const cell = canvas.width / cols;
    for (let i = 0; i < rows * cols; i++) {
      const v = Math.round(255 * map[i]);
      context.fillStyle = `rgb(${v},${v},${v})`;
      context.fillRect((i % cols) * cell, Math.floor(i / cols) * cell, cell, cell);
    }
    container.appendChild(canvas);
  }
}

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
  const legend = $('legend');
  DIGIT_COLOURS.forEach((colour, digit) => {
    const item = document.createElement('span');
    item.innerHTML = `<i style="background:${colour}"></i>${digit}`;
    legend.appendChild(item);
  });
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
