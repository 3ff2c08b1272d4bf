// `gan-studio transfer`: translates pictures with a CycleGAN model as a studio job (a progress bar; Ctrl+C cancels and
// keeps what is done), filing them in a project and writing the PNGs into an output folder.
import { Command, Option } from 'commander';
import path from 'node:path';
import { isJobOf, type ModelSummary, type Project, type TranslationDirection } from '../api/contract.js';
import type { Studio } from '../studio.js';
import { call, CliError } from './call.js';
import { followJob } from './job-progress.js';

/** What the command borrows from the program: a studio for the length of the command, and lookups by name. */
export interface CliSession {
  withStudio<T>(run: (studio: Studio) => Promise<T>): Promise<T>;
  projectByName(studio: Studio, name: string, create: boolean): Promise<Project>;
  modelByRef(studio: Studio, ref: string): Promise<ModelSummary>;
}

interface TransferOptions {
  model: string;
  direction: TranslationDirection;
  folder?: string;
  recursive?: boolean;
  out?: string;
  project: string;
}

export function transferCommand(session: CliSession): Command {
  return new Command('transfer')
    .description('translate pictures with a CycleGAN model, A → B or B → A; Ctrl+C stops and keeps what is done')
    .argument('[files...]', 'pictures to translate (PNG, JPEG, WebP, …; any size: centre-cropped to a square)')
    .requiredOption('-m, --model <id|name>', 'a CycleGAN model (see "gan-studio models list")')
    .addOption(new Option('-d, --direction <way>', "AtoB runs the model's A → B generator, BtoA its B → A one").choices(['AtoB', 'BtoA']).makeOptionMandatory())
    .option('--folder <dir>', 'translate every picture of this folder instead of FILEs')
    .option('--recursive', 'with --folder: its subfolders too (kept as subfolders of the output)')
    .option('-o, --out <dir>', "folder for the translated PNGs (default: the project's exports/transfer-<job>/)")
    .option('-p, --project <name>', 'project the pictures and their translations are filed in (created if missing)', 'Default')
    .action(async (files: string[], opts: TransferOptions) => {
      if ((opts.folder === undefined) === (files.length === 0)) throw new CliError('Give either --folder DIR or picture files to translate.');
      await session.withStudio(async (studio) => {
        const model = await session.modelByRef(studio, opts.model);
        const project = await session.projectByName(studio, opts.project, true);
        const pictures = opts.folder === undefined ? { files: files.map((file) => path.resolve(file)) } : { folder: path.resolve(opts.folder), recursive: opts.recursive === true };
        const { jobId } = await call(studio, 'transfer.images', {
          projectId: project.id,
          modelId: model.id,
          direction: opts.direction,
          ...pictures,
          ...(opts.out === undefined ? {} : { exportDir: path.resolve(opts.out) }),
        });
        const job = await followJob(studio, jobId);
        const outcome = isJobOf(job, 'transfer.images') ? job.result : null;
        const way = opts.direction === 'AtoB' ? 'A → B' : 'B → A';
        console.log(`${job.status}: ${outcome?.translated ?? 0} translated ${way} with ${model.name} into ${outcome?.exportDir ?? 'nowhere'}, ${outcome?.rejected.length ?? 0} rejected.`);
        for (const bad of outcome?.rejected ?? []) console.log(`  rejected ${bad.name}: ${bad.message}`);
        for (const notice of outcome?.notices ?? []) console.log(`Note: ${notice}`);
        if (job.status === 'failed') throw new CliError(job.error ?? 'Transfer failed.');
        if (job.status !== 'succeeded') process.exitCode = 130;
      });
    });
}
