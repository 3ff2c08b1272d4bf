// The `gan-studio` command line: the same handlers as the UI, with progress bars in the terminal.
import { Command, Option } from 'commander';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { isJobOf, type ModelSummary, type Project } from '../api/contract.js';
import { asciiJson, PNG_TEXT_KEYWORD } from '../generation/export-image.js';
import { withPngText } from '../generation/png-text.js';
import { writeFileAtomic } from '../library/atomic-write.js';
import { openStudio, type Studio } from '../studio.js';
import { serveBrowserMode } from './browser-mode.js';
import { call, CliError } from './call.js';
import { followJob } from './job-progress.js';
import { augmentOpsOf, diffAugmentOps, followTraining, imageFolderSettings, imageFolderTraining, imageToImageSettings, imageToImageTraining, positiveInt, resumeTraining, trainingDefaults } from './training-jobs.js';
import { transferCommand } from './transfer-command.js';

const program = new Command()
  .name('gan-studio')
  .description('GAN Studio: generate, edit and transform images with GANs, offline.')
  .addOption(new Option('--home <dir>', 'library folder').env('GAN_STUDIO_HOME'));

async function withStudio<T>(run: (studio: Studio) => Promise<T>, startEngine = true): Promise<T> {
  const home = program.opts<{ home?: string }>().home;
  const studio = await openStudio({ ...(home ? { home } : {}), startEngine });
  try {
    return await run(studio);
  } finally {
    await studio.close();
  }
}

async function projectByName(studio: Studio, name: string, create: boolean): Promise<Project> {
  const existing = (await call(studio, 'projects.list', {})).find((p) => p.name.toLowerCase() === name.toLowerCase());
  if (existing) return existing;
  if (!create) throw new CliError(`No project named "${name}". Existing: ${(await call(studio, 'projects.list', {})).map((p) => p.name).join(', ') || 'none'}.`);
  return call(studio, 'projects.create', { name });
}

program
  .command('serve')
  .description('run the studio in browser-window mode on 127.0.0.1')
  .option('--port <n>', 'port (0 = any free port)', (v) => Number.parseInt(v, 10), 0)
  .option('--no-open', 'do not open a browser')
  .action(async (opts: { port: number; open: boolean }) => {
    const home = program.opts<{ home?: string }>().home;
    await serveBrowserMode({ ...(home ? { home } : {}), port: opts.port, open: opts.open });
  });

const library = program.command('library').description('projects and assets');

library
  .command('import <dir>')
  .description('import every image of a folder into a project (created if missing)')
  .option('-p, --project <name>', 'project name', 'Default')
  .option('--no-recursive', 'only the folder itself, not its subfolders')
  .action(async (dir: string, opts: { project: string; recursive: boolean }) => {
    await withStudio(async (studio) => {
      const project = await projectByName(studio, opts.project, true);
      const { jobId } = await call(studio, 'assets.importFolder', { projectId: project.id, path: path.resolve(dir), recursive: opts.recursive });
      const job = await followJob(studio, jobId);
      const result = isJobOf(job, 'library.importFolder') ? job.result : null;
      console.log(`${job.status}: ${result?.imported ?? 0} imported, ${result?.duplicates ?? 0} duplicates, ${result?.rejected.length ?? 0} rejected into "${project.name}".`);
      for (const bad of result?.rejected ?? []) console.log(`  rejected ${bad.name}: ${bad.message}`);
      if (job.status === 'failed') throw new CliError(job.error ?? 'Import failed.');
      if (job.status !== 'succeeded') process.exitCode = 130;
    });
  });

library
  .command('list')
  .description('list projects, or the assets of one project')
  .option('-p, --project <name>', 'project name')
  .option('--json', 'print JSON')
  .action(async (opts: { project?: string; json?: boolean }) => {
    await withStudio(async (studio) => {
      if (!opts.project) {
        const projects = await call(studio, 'projects.list', {});
        if (opts.json) return console.log(JSON.stringify(projects, null, 2));
        if (projects.length === 0) return console.log('No projects yet. Create one with "gan-studio library import <dir> --project NAME".');
        for (const p of projects) console.log(`${String(p.id).padStart(4)}  ${p.name}  (${p.assetCount} assets)  ${p.folder}`);
        return;
      }
      const project = await projectByName(studio, opts.project, false);
      const { items, total } = await call(studio, 'assets.list', { projectId: project.id, limit: 5000 });
      if (opts.json) return console.log(JSON.stringify({ items, total }, null, 2));
      for (const a of items) console.log(`${String(a.id).padStart(6)}  ${a.width}x${a.height}  ${a.format.padEnd(5)} ${a.name}${a.tags.length ? `  [${a.tags.join(', ')}]` : ''}`);
      console.log(`${total} assets in "${project.name}".`);
    }, false);
  });

const models = program.command('models').description('shipped, trained and imported models');

models
  .command('list')
  .description('list the models a project can use (shipped ones included)')
  .option('-p, --project <name>', 'project name')
  .option('--json', 'print JSON')
  .action(async (opts: { project?: string; json?: boolean }) => {
    await withStudio(async (studio) => {
      const project = opts.project === undefined ? undefined : await projectByName(studio, opts.project, false);
      const listed = await call(studio, 'models.list', project === undefined ? {} : { projectId: project.id });
      if (opts.json) return console.log(JSON.stringify(listed, null, 2));
      if (listed.length === 0) return console.log('No models yet.');
      for (const m of listed) console.log(`${String(m.id).padStart(4)}  ${m.family.padEnd(9)} ${String(m.imageSize).padStart(4)} px  ${m.source.padEnd(8)} ${m.name}${m.description ? ` — ${m.description}` : ''}`);
    }, false);
  });

/** A model by id or (case-insensitive) name among those the project can use. */
async function modelByRef(studio: Studio, ref: string): Promise<ModelSummary> {
  const listed = await call(studio, 'models.list', {});
  const found = /^\d+$/.test(ref) ? listed.find((m) => m.id === Number(ref)) : listed.find((m) => m.name.toLowerCase() === ref.toLowerCase());
  if (found === undefined) throw new CliError(`No model "${ref}". Models: ${listed.map((m) => `${m.id} ${m.name}`).join(', ') || 'none'}.`);
  return found;
}

program
  .command('sketch2photo <input> <output>')
  .description('render a sketch (black lines on white, any size) with an image-to-image model into a PNG')
  .requiredOption('-m, --model <id|name>', 'the sketch model (see "gan-studio models list")')
  .action(async (input: string, output: string, opts: { model: string }) => {
    await withStudio(async (studio) => {
      const model = await modelByRef(studio, opts.model);
      let sketch: Buffer;
      try {
        sketch = await readFile(input);
      } catch (err) {
        throw new CliError(`Cannot read ${input}: ${(err as Error).message}`);
      }
      const rendered = await call(studio, 'sketch.render', { modelId: model.id, sketchPngBase64: sketch.toString('base64') });
      const recipe = { software: `GAN Studio ${studio.version}`, generation: { operation: 'sketch2photo', params: { model: { id: model.id, name: model.name, family: model.family }, input: path.basename(input) } } };
      await writeFileAtomic(path.resolve(output), withPngText(Buffer.from(rendered.imagePngBase64, 'base64'), PNG_TEXT_KEYWORD, asciiJson(recipe)));
      console.log(`${output}: ${rendered.width}×${rendered.height} from ${model.name} in ${Math.round(rendered.ms)} ms`);
    });
  });

const train = program.command('train').description('train a model on your images');
// Each family's defaults, as the contract has them (models/<family>/family.ts).
const pix2pixDefaults = trainingDefaults('pix2pix');
const cycleganDefaults = trainingDefaults('cyclegan');
const styleGAN2Defaults = trainingDefaults('stylegan2');
const pgganDefaults = trainingDefaults('pggan');

imageToImageTraining(train.command('pix2pix'), {
  sizes: '64, 128 or 256',
  defaults: pix2pixDefaults,
  modelName: 'Sketch model',
  sampleHelp: 'steps between sample grids and held-out metrics',
  continueHelp: 'start from a checkpoint folder made elsewhere on the same dataset and settings',
})
  .description('train sketch-to-photo (or any paired image-to-image) pix2pix; Ctrl+C pauses with a checkpoint')
  .option('--dataset <name>', 'a prepared dataset of the project (made from --photos/--pairs/--a,--b when missing)')
  .option('--photos <dir>', 'photos only: A is made from each photo by the edge extractor')
  .option('--pairs <dir>', 'side-by-side A|B images')
  .option('--a <dir>', 'folder of A images (paired with --b by file name)')
  .option('--b <dir>', 'folder of B images')
  .option('--margin <fraction>', 'white border added around each photo, as a fraction of its side', Number.parseFloat)
  .action(async (opts: Record<string, string | number | boolean | undefined>) => {
    await withStudio(async (studio) => {
      const shown = ['gL1', 'gGan', 'dReal', 'dFake'];
      let jobId: number;
      if (typeof opts['resume'] === 'number') {
        jobId = (await resumeTraining(studio, opts)).jobId;
      } else {
        const project = await projectByName(studio, String(opts['project']), true);
        const size = Number(opts['size']) as 64 | 128 | 256;
        const datasetName = String(opts['dataset'] ?? `${String(opts['name'])} pairs`);
        const existing = (await call(studio, 'datasets.list', { projectId: project.id })).find((d) => d.name === datasetName);
        if (existing === undefined) {
          const margin = typeof opts['margin'] === 'number' ? { margin: opts['margin'] } : {};
          const source = opts['photos'] ? { kind: 'photos' as const, dir: path.resolve(String(opts['photos'])), ...margin }
            : opts['pairs'] ? { kind: 'side-by-side' as const, dir: path.resolve(String(opts['pairs'])) }
            : opts['a'] && opts['b'] ? { kind: 'two-folders' as const, aDir: path.resolve(String(opts['a'])), bDir: path.resolve(String(opts['b'])) }
            : undefined;
          if (source === undefined) throw new CliError(`The project has no dataset "${datasetName}": give --photos DIR, --pairs DIR or --a DIR --b DIR to make it.`);
          const prepared = await followJob(studio, (await call(studio, 'datasets.prepare', { projectId: project.id, name: datasetName, source, imageSize: size })).jobId);
          const outcome = isJobOf(prepared, 'dataset.preparePairs') ? prepared.result : null;
          if (prepared.status !== 'succeeded' || outcome === null) throw new CliError(prepared.error ?? `Preparing the dataset ended ${prepared.status}.`);
          console.log(`Dataset "${datasetName}": ${outcome.train} training pairs, ${outcome.test} held out, ${outcome.skipped.length} files skipped.`);
          for (const s of outcome.skipped.slice(0, 20)) console.log(`  skipped ${s.file}: ${s.reason}`);
        }
        jobId = (await call(studio, 'train.start', { projectId: project.id, dataset: datasetName, imageSize: size, ...imageToImageSettings(opts) })).jobId;
      }
      await followTraining(studio, jobId, shown, 'pix2pix');
    });
  });

imageToImageTraining(train.command('cyclegan'), {
  sizes: '32, 64, 128 or 256',
  defaults: cycleganDefaults,
  modelName: 'CycleGAN model',
  sampleHelp: 'steps between sample grids (A → B → A and B → A → B)',
  continueHelp: 'start from a checkpoint folder made elsewhere on the same folders and settings',
})
  .description('train unpaired translation between two folders of images (horses ↔ zebras) with CycleGAN; Ctrl+C pauses with a checkpoint')
  .option('--a <dir>', 'folder of domain A images (other sizes and aspects are centre-cropped and resized)')
  .option('--b <dir>', 'folder of domain B images (need not match A in number or content)')
  .option('--blocks <n>', 'ResNet blocks of each generator (6 for 128 px, 9 for 256 in the reference)', positiveInt, cycleganDefaults.nBlocks)
  .option('--identity <weight>', 'identity loss relative to the cycle loss; 0 turns it off', Number.parseFloat, cycleganDefaults.lambdaIdentity)
  .action(async (opts: Record<string, string | number | boolean | undefined>) => {
    await withStudio(async (studio) => {
      let jobId: number;
      if (typeof opts['resume'] === 'number') {
        jobId = (await resumeTraining(studio, opts)).jobId;
      } else {
        if (typeof opts['a'] !== 'string' || typeof opts['b'] !== 'string') throw new CliError('Give --a DIR and --b DIR, the two folders of images.');
        const project = await projectByName(studio, String(opts['project']), true);
        const params = {
          projectId: project.id,
          dataA: path.resolve(opts['a']),
          dataB: path.resolve(opts['b']),
          imageSize: Number(opts['size']) as 32 | 64 | 128 | 256,
          nBlocks: Number(opts['blocks']),
          lambdaIdentity: Number(opts['identity']),
          ...imageToImageSettings(opts),
        };
        jobId = (await call(studio, 'train.cyclegan', params)).jobId;
      }
      await followTraining(studio, jobId, ['gA', 'gB', 'cycleA', 'cycleB', 'dA', 'dB'], 'cyclegan');
    });
  });

imageFolderTraining(train.command('stylegan'), styleGAN2Defaults)
  .description('train StyleGAN2 on a folder of images; Ctrl+C pauses with a checkpoint')
  .option('-n, --name <name>', 'the model name in the library', 'StyleGAN2 model')
  .option('--resolution <px>', 'image size: 32, 64, 128 or 256', positiveInt, styleGAN2Defaults.resolution)
  .option('--channel-base <n>', 'layers at r px get min(base / r, max) channels (16384 in the reference)', positiveInt, styleGAN2Defaults.channelBase)
  .option('--channel-max <n>', 'widest layer (512 in the reference)', positiveInt, styleGAN2Defaults.channelMax)
  .option('--mapping-layers <n>', 'depth of the mapping network (8 in the paper)', positiveInt, styleGAN2Defaults.mappingLayers)
  .option('--gamma <r1>', 'R1 weight (default 0.0002·res²/batch)', Number.parseFloat)
  .option('--kimg <n>', 'length of training in thousands of images shown', Number.parseFloat, styleGAN2Defaults.totalKimg)
  .option('--no-mirror', 'do not add left-right mirrored images')
  .option('--augment <ops>', 'DiffAugment of what D sees, for small datasets: ops joined by commas, or none', diffAugmentOps, styleGAN2Defaults.augment.join(','))
  .option('--continue-from <checkpoint>', 'start from a checkpoint folder made elsewhere with the same settings')
  .option('--fine-tune-from <checkpoint>', "start from another run's checkpoint (same network sizes, any images) with fresh optimisers")
  .action(async (opts: Record<string, string | number | boolean | undefined>) => {
    await withStudio(async (studio) => {
      let jobId: number;
      if (typeof opts['resume'] === 'number') {
        jobId = (await resumeTraining(studio, opts)).jobId;
      } else {
        const project = await projectByName(studio, String(opts['project']), true);
        const params = {
          ...imageFolderSettings(opts, project.id),
          ...(typeof opts['fineTuneFrom'] === 'string' ? { fineTuneFrom: path.resolve(opts['fineTuneFrom']) } : {}),
          channelBase: Number(opts['channelBase']),
          channelMax: Number(opts['channelMax']),
          mappingLayers: Number(opts['mappingLayers']),
          mirror: opts['mirror'] !== false,
          augment: augmentOpsOf(String(opts['augment'])),
          ...(typeof opts['gamma'] === 'number' ? { r1Gamma: opts['gamma'] } : {}),
          ...(typeof opts['continueFrom'] === 'string' ? { continueFrom: path.resolve(opts['continueFrom']) } : {}),
        };
        jobId = (await call(studio, 'train.stylegan2', params)).jobId;
      }
      await followTraining(studio, jobId, ['gMain', 'dReal', 'dFake', 'r1'], 'stylegan');
    });
  });

imageFolderTraining(train.command('pggan'), pgganDefaults)
  .description('train a progressive GAN (4 px growing to --resolution) on a folder of images; Ctrl+C pauses with a checkpoint')
  .option('-n, --name <name>', 'the model name in the library', 'PGGAN model')
  .option('--resolution <px>', 'final image size: 32, 64, 128 or 256', positiveInt, pgganDefaults.resolution)
  .option('--fmap-base <n>', 'a stage s gets min(base / 2^s, max) feature maps (8192 in the reference)', positiveInt, pgganDefaults.fmapBase)
  .option('--fmap-max <n>', 'widest layer (512 in the reference)', positiveInt, pgganDefaults.fmapMax)
  .option('--lod-kimg <n>', 'thousands of images at each resolution before the next fades in (600 in the reference)', Number.parseFloat, pgganDefaults.lodTrainingKimg)
  .option('--fade-kimg <n>', 'thousands of images over which the next resolution fades in (600 in the reference)', Number.parseFloat, pgganDefaults.lodTransitionKimg)
  .option('--kimg <n>', 'length of training in thousands of images shown', Number.parseFloat, pgganDefaults.totalKimg)
  .action(async (opts: Record<string, string | number | boolean | undefined>) => {
    await withStudio(async (studio) => {
      let jobId: number;
      if (typeof opts['resume'] === 'number') {
        jobId = (await resumeTraining(studio, opts)).jobId;
      } else {
        const project = await projectByName(studio, String(opts['project']), true);
        jobId = (
          await call(studio, 'train.pggan', {
            ...imageFolderSettings(opts, project.id),
            fmapBase: Number(opts['fmapBase']),
            fmapMax: Number(opts['fmapMax']),
            lodTrainingKimg: Number(opts['lodKimg']),
            lodTransitionKimg: Number(opts['fadeKimg']),
          })
        ).jobId;
      }
      await followTraining(studio, jobId, ['gLoss', 'dLoss', 'wasserstein', 'resolution'], 'pggan');
    });
  });

program
  .command('upscale')
  .description('upscale a picture 2× or 4× with a pretrained ESRGAN (weights from npm, nothing downloaded)')
  .argument('<input>', 'picture to upscale (PNG, JPEG, WebP, …)')
  .argument('<output>', 'PNG to write')
  .option('--scale <n>', '2 or 4', positiveInt, 4)
  .option('--model <size>', 'slim (fast) or medium (sharper)', 'slim')
  .action(async (input: string, output: string, opts: { scale: number; model: string }) => {
    const { scale, model } = opts;
    if (scale !== 2 && scale !== 4) throw new CliError('--scale is 2 or 4.');
    if (model !== 'slim' && model !== 'medium') throw new CliError('--model is slim or medium.');
    await withStudio(async (studio) => {
      // The CLI's own files, not library assets: the engine task is run directly, with its progress on the terminal.
      let failure: string | undefined;
      let size = '';
      const { result } = studio.engine.run(
        'esrgan.upscale',
        { files: [{ input: path.resolve(input), output: path.resolve(output) }], model, scale },
        {
          onProgress: (p) => process.stderr.write(`\r${p.stage}`.padEnd(80)),
          onItem: (item) => {
            if (item.kind === 'failed') failure = item.reason;
            else size = `${item.width}×${item.height}`;
          },
        },
      );
      await result;
      process.stderr.write('\n');
      if (failure !== undefined) throw new CliError(failure);
      console.log(`Wrote ${path.resolve(output)} (${size}).`);
    });
  });

program.addCommand(transferCommand({ withStudio, projectByName, modelByRef }));

program
  .command('doctor')
  .description('show the compute backend, the device and why other backends were skipped')
  .action(async () => {
    await withStudio(async (studio) => {
      const info = await call(studio, 'studio.info', {});
      const backend = info.engine.backend;
      console.log(`GAN Studio ${info.version}`);
      console.log(`Library: ${info.libraryPath}`);
      console.log(`Backend: ${backend?.name ?? 'none'} — ${backend?.device ?? 'engine not ready'}`);
      for (const s of backend?.skipped ?? []) console.log(`  skipped ${s.name}: ${s.reason}`);
    });
  });

program.parseAsync().catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  console.error(`gan-studio: ${message}`);
  process.exit(1);
});
