// Which charts a training run shows, per family: each family's descriptor (models/<family>/family.ts) names the metrics
// its training step reports, grouped as an artist reads them, with their labels, colours and axes.
import type { ChartLine, ChartSeries } from '../../../../models/common/family-descriptor';
import { familyNamed } from '../../../../models/families';
import type { TrainingFamilyId } from './training-form';

export type { ChartLine };
export type RunChart = ChartSeries;

/** The charts of a run of `family`, in display order. */
export function chartsFor(family: TrainingFamilyId): readonly RunChart[] {
  return familyNamed(family)?.view.charts ?? [];
}
