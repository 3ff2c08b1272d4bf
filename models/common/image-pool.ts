// The history of generated images a discriminator trains on (Shrivastava et al. 2017, §2.3; CycleGAN §4), exactly as
// junyanz util/image_pool.py `ImagePool.query`, with its draws taken from a seeded stream so a resumed run is exact.
import * as tf from '@tensorflow/tfjs-core';
import type { HostTensor } from './host-tensor.js';
import type { SeededRandom } from './seeded-random.js';

/**
 * Up to `capacity` past fakes, each one image [H, W, C] kept on the host. Until the pool is full every fake is stored
 * and shown to D as it is; after that each fake is, with probability ½, swapped for a stored one picked uniformly
 * (D sees the old one, the new one takes its place), else shown as it is and not stored. Capacity 0: no pool.
 */
export class ImagePool {
  readonly capacity: number;
  #images: HostTensor[];

  /** `images`: a pool's saved contents (`contents()`), in order, to continue where it was. */
  constructor(capacity: number, images: readonly HostTensor[] = []) {
    if (!Number.isInteger(capacity) || capacity < 0) throw new Error(`image pool: capacity must be a whole number, got ${capacity}`);
    if (images.length > capacity) throw new Error(`image pool: ${images.length} saved images do not fit a pool of ${capacity}`);
    this.capacity = capacity;
    this.#images = images.map(copyOf);
  }

  /** Images stored so far (the reference's num_imgs). */
  get size(): number {
    return this.#images.length;
  }

  /**
   * This step's fakes [B, H, W, C] → what D trains on, the same shape: per image in batch order, stored (filling),
   * swapped (`random.next() > 0.5`, then `random.int(capacity)` picks the slot) or passed through. The result is a new
   * tensor, the caller's to dispose (a tf.tidy does); with no pool, `fakes` itself.
   */
  query(fakes: tf.Tensor4D, random: SeededRandom): tf.Tensor4D {
    if (this.capacity === 0) return fakes;
    const [count, ...imageShape] = fakes.shape;
    const held = this.#images[0]?.shape;
    if (held !== undefined && held.join() !== imageShape.join()) {
      throw new Error(`image pool: holds [${held.join(', ')}] images, was given [${imageShape.join(', ')}]`);
    }
    const pixels = imageShape.reduce((n, d) => n * d, 1);
    const values = fakes.dataSync() as Float32Array;
    const shown = new Float32Array(values.length);
    for (let i = 0; i < count; i++) {
      const image: HostTensor = { shape: imageShape, data: values.slice(i * pixels, (i + 1) * pixels) };
      if (this.#images.length < this.capacity) {
        this.#images.push(image);
        shown.set(image.data, i * pixels);
      } else if (random.next() > 0.5) {
        const slot = random.int(this.capacity);
        shown.set(this.#images[slot]!.data, i * pixels);
        this.#images[slot] = image;
      } else {
        shown.set(image.data, i * pixels);
      }
    }
    return tf.tensor4d(shown, fakes.shape);
  }

  /** Copies of the stored images in slot order: with the random stream's state, all a resumed pool needs. */
  contents(): HostTensor[] {
    return this.#images.map(copyOf);
  }
}

const copyOf = (image: HostTensor): HostTensor => ({ shape: [...image.shape], data: image.data.slice() });
