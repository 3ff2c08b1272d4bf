// Types of scripts/electron-abi.js (plain JS: `npm start` and electron-builder run it before anything is built).

export interface ElectronRuntime {
  electron: string;
  modules: string;
  platform: string;
  arch: string;
}

export interface RebuildStamp extends Omit<ElectronRuntime, 'modules'> {
  module: string;
  version: string | null;
  modules: string;
}

export interface RebuildPlan {
  reason: string;
  runtime: ElectronRuntime;
  stamp: RebuildStamp;
  output: string;
  stampFile: string;
  workDir: string;
  cwd: string;
  command: string;
  args: string[];
}

export const SQLITE_MODULE: string;
export const SQLITE_ADDON_FILE: string;
export function electronBinary(root: string): string | null;
export function electronPackage(root: string): { version: string; nodeRange: string | null } | null;
export function rebuildNodeRange(root: string): string | null;
export function meetsRange(version: string, range: string | null): boolean;
export function whyNoElectronDownload(options: { root: string; env?: NodeJS.ProcessEnv; nodeVersion?: string }): string | null;
export function electronRuntime(binary: string): ElectronRuntime | { error: string };
export function electronAddonDir(root: string, runtime: Pick<ElectronRuntime, 'modules' | 'platform' | 'arch'>): string;
export function electronRebuildPlan(root: string, runtime: ElectronRuntime): RebuildPlan | null;
export function prepareRebuild(root: string, plan: RebuildPlan): void;
export function finishRebuild(plan: RebuildPlan): string;
export function ensureElectronAddon(
  root: string,
  runtime: ElectronRuntime,
  options?: { stdio?: 'inherit' | 'ignore' | 'pipe'; nodeVersion?: string },
): { built: boolean; output: string } | { error: string };
export function packagedRuntime(
  root: string,
  context: { electronVersion?: string | null; platform: string; arch: string },
): ElectronRuntime;
