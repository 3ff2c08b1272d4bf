// Terminal progress bar for a studio job, driven by the same job events the UI shows; Ctrl+C cancels the job.
import cliProgress from 'cli-progress';
import type { Job } from '../api/contract.js';
import type { Studio } from '../studio.js';

const finished = new Set(['succeeded', 'failed', 'cancelled', 'interrupted']);

function formatEta(seconds: number | null): string {
  if (seconds === null) return '…';
  if (seconds < 60) return `${Math.ceil(seconds)}s`;
  return `${Math.floor(seconds / 60)}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
}

/** The last reported metrics, short: `gL1 0.213 · test_psnr 17.9`. */
function formatMetrics(metrics: Record<string, number> | undefined, shown: readonly string[]): string {
  if (metrics === undefined) return '';
  const parts = shown.filter((name) => metrics[name] !== undefined).map((name) => `${name} ${metrics[name]!.toPrecision(3)}`);
  return parts.length === 0 ? '' : ` · ${parts.join(' · ')}`;
}

/** Follows a job in the terminal until it ends; `metrics` names the progress metrics to show beside the bar. */
export function followJob(studio: Studio, jobId: number, metrics: readonly string[] = []): Promise<Job> {
  const bar = new cliProgress.SingleBar(
    { format: ' {stage} [{bar}] {value}/{total} · ETA {eta_text}{metrics_text}', hideCursor: true, noTTYOutput: !process.stderr.isTTY, notTTYSchedule: 5000 },
    cliProgress.Presets.shades_classic,
  );
  bar.start(1, 0, { stage: 'Starting', eta_text: '…', metrics_text: '' });
  let lastMetrics: Record<string, number> | undefined;
  const onInterrupt = () => {
    process.stderr.write('\nCancelling…\n');
    studio.jobs.cancel(jobId);
  };
  process.once('SIGINT', onInterrupt);
  return new Promise<Job>((resolve) => {
    const offProgress = studio.events.on('job.progress', (p) => {
      if (p.jobId !== jobId) return;
      bar.setTotal(Math.max(1, p.total));
      lastMetrics = { ...lastMetrics, ...p.metrics };
      bar.update(p.step, { stage: p.stage, eta_text: formatEta(p.etaSeconds), metrics_text: formatMetrics(lastMetrics, metrics) });
    });
    const offState = studio.events.on('job.state', (job) => {
      if (job.id !== jobId || !finished.has(job.status)) return;
      bar.stop();
      offProgress();
      offState();
      process.off('SIGINT', onInterrupt);
      resolve(job);
    });
  });
}
