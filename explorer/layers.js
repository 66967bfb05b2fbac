// The forward passes of the explorer and the live page. Each layer kind
// the four autoencoders use is one small function named after its Keras
// layer: dense, conv2d, maxPooling2d, upSampling2d, with relu, sigmoid
// and linear activations. Images are {height, width, channels, values},
// values in Keras's order (row, column, channel), as Flatten would read
// them; dense layers take and give plain arrays.
'use strict';

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

// ---- a model: its encoder and decoder ------------------------------------

function floats(base64) {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return new Float32Array(bytes.buffer);
}

// A layer's kernel or bias as the page gets it (helpers.pages): base64
// float32, or one byte a value with the tensor's least value and step
function tensor(layer, name) {
  if (layer[`${name}Step`] === undefined) return floats(layer[name]);
  const bytes = Uint8Array.from(atob(layer[name]), (c) => c.charCodeAt(0));
  const low = layer[`${name}Min`];
  const step = layer[`${name}Step`];
  return Float32Array.from(bytes, (v) => low + v * step);
}

function unpack(layers) {
  return layers.map((layer) => Object.assign({}, layer, layer.kernel ? {
    kernel: tensor(layer, 'kernel'), bias: tensor(layer, 'bias'),
  } : {}));
}

// A model as the page gets it (helpers.pages.model_description, its weights
// base64 float32) made ready to run
function loadModel(description) {
  return Object.assign({}, description, {
    encoder: unpack(description.encoder),
    decoder: unpack(description.decoder),
    mean: description.mean && unpack([description.mean])[0],
    logVar: description.logVar && unpack([description.logVar])[0],
  });
}

function asInput(model, values) {
  return model.inputShape.length === 3 ?
    { height: 28, width: 28, channels: 1, values: Float64Array.from(values) } :
    Float64Array.from(values);
}

function flat(x) {
  return Array.from(isImage(x) ? x.values : x);
}

// The VAE's encoder: its hidden layers, then the mean and log variance
function distributionOf(model, pixels) {
  const hidden = run(model.encoder, asInput(model, pixels));
  return { mean: flat(dense(model.mean, hidden)),
           logVar: flat(dense(model.logVar, hidden)) };
}

// The code of pixels (784 numbers in [0, 1], row by row): the encoder's
// output, flat; for the VAE, the mean of q(z|x)
function encodeWith(model, pixels) {
  if (model.mean) return distributionOf(model, pixels).mean;
  return flat(run(model.encoder, asInput(model, pixels)));
}

// The 784 pixels the decoder makes of a code (flat, as encode gives it)
function decodeWith(model, code) {
  const shape = model.codeShape;
  const inputs = shape.length === 3 ?
    { height: shape[0], width: shape[1], channels: shape[2],
      values: Float64Array.from(code) } : Float64Array.from(code);
  return flat(run(model.decoder, inputs));
}
