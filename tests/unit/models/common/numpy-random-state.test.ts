// StyleGAN seeds name the same z as numpy: RandomState(seed).randn(1, 512) against values numpy 1.24 printed.
import { describe, expect, it } from 'vitest';
import { NumpyRandomState, seedLatent } from '../../../../models/common/numpy-random-state.js';

// /usr/bin/python3 -c "import numpy as np; z = np.random.RandomState(seed).randn(1, 512); print(z[0,:4], z[0,509:])"
const numpy: Record<number, { head: number[]; tail: number[] }> = {
  0: { head: [1.764052345967664, 0.4001572083672233, 0.9787379841057392, 2.240893199201458], tail: [1.3014280716647608, 0.8952602728899299, 1.3749640663929898] },
  1: { head: [1.6243453636632417, -0.6117564136500754, -0.5281717522634557, -1.0729686221561705], tail: [0.5560735100773853, 1.693809113288081, 0.19686977925029145] },
  42: { head: [0.4967141530112327, -0.13826430117118466, 0.6476885381006925, 1.5230298564080254], tail: [-0.8309501164110378, 0.2704568257798388, -0.05023810944913695] },
  123456789: { head: [2.2129019979039612, 2.128397797652002, 1.8417114045748335, 0.08238247951406152], tail: [0.41190833167946656, -1.5117737145235466, -0.6066187540345919] },
  4294967295: { head: [0.6484086742306527, 0.6693235306338161, -1.0805437227474493, 0.2845010447986309], tail: [-1.5674871225135674, -0.03243661465360325, -0.16334506047141822] },
};

describe('NumpyRandomState', () => {
  it.each(Object.keys(numpy).map(Number))('randn(512) of seed %i equals numpy to the last bit', (seed) => {
    const z = new NumpyRandomState(seed).randn(512);
    expect([...z.slice(0, 4)]).toEqual(numpy[seed]!.head);
    expect([...z.slice(509)]).toEqual(numpy[seed]!.tail);
  });

  it('gives the float32 latent generate.py feeds the mapping network', () => {
    const z = seedLatent(42, 512);
    expect(z).toBeInstanceOf(Float32Array);
    expect(z[0]).toBe(Math.fround(numpy[42]!.head[0]!));
  });

  it('refuses seeds numpy refuses', () => {
    expect(() => new NumpyRandomState(-1)).toThrow(/\[0, 2\^32 - 1\]/);
    expect(() => new NumpyRandomState(2 ** 32)).toThrow(RangeError);
    expect(() => new NumpyRandomState(1.5)).toThrow(RangeError);
  });
});
