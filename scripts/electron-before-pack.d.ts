// Types of scripts/electron-before-pack.js (electron-builder's beforePack hook).

export function beforePack(context: {
  packager: { projectDir: string; config: { electronVersion?: string | null } };
  electronPlatformName: string;
  arch: number;
}): Promise<void>;
