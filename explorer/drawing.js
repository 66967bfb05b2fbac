// Drawing shared by the explorer and the live page: digits, code bars,
// convolutional maps.
const DIGIT_COLOURS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd',
                       '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

// A swatch of each digit's colour, as the latent planes colour them
function paintLegend(container) {
  DIGIT_COLOURS.forEach((colour, digit) => {
    const item = document.createElement('span');
    item.innerHTML = `<i style="background:${colour}"></i>${digit}`;
    container.appendChild(item);
  });
}

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

