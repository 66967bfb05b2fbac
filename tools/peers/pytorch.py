#!/usr/bin/env python3
"""A peer for `make bench PEERS=1`: the spec's four models as a PyTorch
user writes them, trained as the mains train ours (batch 256, shuffled
by a DataLoader, the test digits validated each epoch, Adam with its
defaults): a warm-up epoch, then BENCH_EPOCHS timed. Same layers as
ours, in PyTorch's channels-first layout; the losses as Keras defines
them (the mean binary cross-entropy; the sparse model's L1 penalty on
its code as Keras 3 adds it, summed over the batch; the VAE's summed
cross-entropy plus KL, averaged over the batch). Run by .venv/peer-torch's
Python (`make bench PEERS=1` makes it)."""
import time

import torch
from torch import nn
from torch.nn import functional

import common


class Dense(nn.Module):
    """784 -> 128 -> 64 -> 32 and back, relu, sigmoid output."""

    def __init__(self):
        """The encoder and decoder layers."""
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(),
            nn.Linear(64, 32), nn.ReLU())
        self.decoder = nn.Sequential(
            nn.Linear(32, 64), nn.ReLU(), nn.Linear(64, 128), nn.ReLU(),
            nn.Linear(128, 784), nn.Sigmoid())

    def loss(self, x):
        """The mean binary cross-entropy of the reconstruction."""
        return functional.binary_cross_entropy(self.decoder(self.encoder(x)),
                                               x)


class Sparse(Dense):
    """The dense autoencoder with an L1 penalty on its code."""

    def loss(self, x):
        """The cross-entropy plus lambtha times the code's L1 norm."""
        code = self.encoder(x)
        return functional.binary_cross_entropy(self.decoder(code), x) + \
            common.LAMBTHA * code.abs().sum()


class Convolutional(nn.Module):
    """28x28x1 -> 8x4x4 with 3x3 convolutions (16, 8, 8) and max pooling
    (rounding up, as Keras's 'same' pooling does), and back with
    convolutions and upsampling."""

    def __init__(self):
        """The encoder and decoder layers."""
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding='same'), nn.ReLU(),
            nn.MaxPool2d(2, ceil_mode=True),
            nn.Conv2d(16, 8, 3, padding='same'), nn.ReLU(),
            nn.MaxPool2d(2, ceil_mode=True),
            nn.Conv2d(8, 8, 3, padding='same'), nn.ReLU(),
            nn.MaxPool2d(2, ceil_mode=True))
        self.decoder = nn.Sequential(
            nn.Conv2d(8, 8, 3, padding='same'), nn.ReLU(),
            nn.Upsample(scale_factor=2),
            nn.Conv2d(8, 8, 3, padding='same'), nn.ReLU(),
            nn.Upsample(scale_factor=2),
            nn.Conv2d(8, 16, 3), nn.ReLU(),
            nn.Upsample(scale_factor=2),
            nn.Conv2d(16, 1, 3, padding='same'), nn.Sigmoid())

    def loss(self, x):
        """The mean binary cross-entropy of the reconstruction."""
        return functional.binary_cross_entropy(self.decoder(self.encoder(x)),
                                               x)


class Variational(nn.Module):
    """784 -> 512 -> a 2-d mean and log variance -> z, and z -> 512 ->
    784."""

    def __init__(self):
        """The encoder and decoder layers."""
        super().__init__()
        self.hidden = nn.Sequential(nn.Linear(784, 512), nn.ReLU())
        self.mean = nn.Linear(512, 2)
        self.log_var = nn.Linear(512, 2)
        self.decoder = nn.Sequential(nn.Linear(2, 512), nn.ReLU(),
                                     nn.Linear(512, 784), nn.Sigmoid())

    def loss(self, x):
        """The summed cross-entropy plus the KL divergence of N(mean,
        exp(log_var)) from N(0, I), averaged over the batch."""
        h = self.hidden(x)
        mean, log_var = self.mean(h), self.log_var(h)
        z = mean + torch.exp(0.5 * log_var) * torch.randn_like(mean)
        reconstruction = functional.binary_cross_entropy(
            self.decoder(z), x, reduction='none').sum(dim=1)
        kl = -0.5 * torch.sum(1 + log_var - mean ** 2 - log_var.exp(), dim=1)
        return (reconstruction + kl).mean()


MODELS = {'vanilla': Dense, 'sparse': Sparse,
          'convolutional': Convolutional, 'variational': Variational}


def train(model, x_train, x_test):
    """Trains model for a warm-up epoch and the measured ones; returns
    each epoch's seconds (its validation pass included) and the last
    epoch's mean training loss."""
    optimizer = torch.optim.Adam(model.parameters())
    batches = torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(x_train),
        batch_size=common.BATCH_SIZE, shuffle=True)
    seconds = []
    for _ in range(1 + common.epochs()):
        started = time.perf_counter()
        model.train()
        total = 0.0
        for (x,) in batches:
            optimizer.zero_grad()
            loss = model.loss(x)
            loss.backward()
            optimizer.step()
            total += loss.item() * len(x)
        model.eval()
        with torch.no_grad():
            for x in torch.split(x_test, common.BATCH_SIZE):
                model.loss(x)
        seconds.append(time.perf_counter() - started)
    return seconds, total / len(x_train)


def main():
    """Trains and times the four models, printing a line for each."""
    x_train, x_test = (torch.from_numpy(x) for x in common.digits())
    torch.manual_seed(0)
    for name in common.MODELS:
        model = MODELS[name]()
        shape = (-1, 1, 28, 28) if name == 'convolutional' else (-1, 784)
        seconds, loss = train(model, x_train.reshape(shape),
                              x_test.reshape(shape))
        common.report('PyTorch', 'PyTorch {}'.format(torch.__version__),
                      name, seconds, loss,
                      sum(p.numel() for p in model.parameters()))


if __name__ == '__main__':
    main()
