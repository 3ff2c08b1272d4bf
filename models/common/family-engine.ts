// A family's networks, beside its plain descriptor (family-descriptor.ts): `create` builds fresh networks for a config,
// one tree per part, whose variable paths the tensor manifest of a model folder or checkpoint names, and `train`, the
// family's training task. tfjs: only the engine side imports this and the families' engine.ts.
import type * as tf from '@tensorflow/tfjs-core';
import type { FamilyDescriptor } from './family-descriptor.js';
import type { ParamTree } from './param-tree.js';
import type { TrainingTask } from './training-host.js';

export interface FamilyEngine<Name extends string = string, Config = unknown> extends FamilyDescriptor<Name, Config> {
  /** Fresh networks for `config`, one tree per part asked for; the loader overwrites their weights. */
  create(config: Config, parts: readonly string[]): Record<string, ParamTree>;
  /**
   * Its training task (models/<family>/training-task.ts): the engine task under `training.jobKind`, taking the params
   * of `training.task` as validated and returning its result. main/engine/tasks registers it for every family.
   */
  train: TrainingTask;
  /**
   * How a saved model of a family that draws seeds without a w space (`seeds.styleSpace` false) draws them: z
   * (`count × latentSize`, a seed's normal draws) → images (NHWC, [-1, 1]) at `resolution`. StyleGAN2's seeds go
   * through its own mapping and synthesis (main/engine/style-generator.ts) instead.
   */
  seedDrawer?(parts: Record<string, ParamTree>, config: Config): SeedDrawer;
}

export interface SeedDrawer {
  resolution: number;
  latentSize: number;
  draw(z: tf.Tensor2D): tf.Tensor4D;
}

/** A family's `create` from one builder per part; a part it does not have is refused by name. */
export function partsBuiltBy<Config>(family: string, builders: Readonly<Record<string, (config: Config) => ParamTree>>): FamilyEngine<string, Config>['create'] {
  return (config, parts) =>
    Object.fromEntries(
      parts.map((part) => {
        const build = builders[part];
        if (build === undefined) throw new Error(`${family} has no part "${part}"`);
        return [part, build(config)];
      }),
    );
}
