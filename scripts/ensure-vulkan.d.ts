// Types of scripts/ensure-vulkan.js (plain JS so `npm test` can run it before anything is built).

/** Variables to add to a process's environment (maybe none), or null with `reason` saying what is missing. */
export interface VulkanSetup {
  env: Record<string, string> | null;
  reason: string;
}

export function findVulkanLoader(): string | null;
export function findSwiftShaderIcd(): string | null;
export function systemIcds(): string[];
export function swiftShaderVulkan(): VulkanSetup;
export function swiftShaderVulkanHere(): VulkanSetup;
export function ensureVulkan(): VulkanSetup;
