// How the studio (main/, the engine's host) starts the short-lived process that test-runs an untrusted ONNX graph
// (onnx-trial-process.ts). The host starts it, not the engine: inside the packaged Electron app the engine is a
// utilityProcess, whose child_process.fork would start the app's binary as Node, which the RunAsNode fuse forbids. Node
// uses child_process.fork (nodeTrialSpawner); the Electron shell passes a utilityProcess spawner
// (electron/engine-spawner.ts).
import { forkChild, siblingEntry, type ChildEntry, type ChildHandle } from '../child-entry.js';
import type { TrialRequest, TrialToHost } from './onnx-trial.js';

/** One running test process, as runTrial (onnx-trial.ts) drives it. */
export type TrialProcessHandle = ChildHandle<TrialRequest, TrialToHost>;

/** Starts one test process. */
export type TrialSpawner = () => TrialProcessHandle;

/** The test process's entry, beside this module. */
export const trialEntryPath = (): ChildEntry => siblingEntry(import.meta.url, 'onnx-trial-process');

export const nodeTrialSpawner: TrialSpawner = () => forkChild(trialEntryPath(), 'onnx-trial');
