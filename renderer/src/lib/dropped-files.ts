// The files of a drag-and-drop, with those inside dropped folders: a browser hands a page a folder's entries, never
// its path on disk, so a dropped folder is read file by file here (and uploaded by the caller).

/** What dropped on the page: the DataTransfer's entries, read while the drop event runs (they vanish after). */
export interface DroppedItems {
  entries: FileSystemEntry[];
  /** Files without an entry (a synthetic DataTransfer, an old browser). */
  files: File[];
}

/** Reads the drop's entries now, inside the event handler; `filesOfDrop` walks them afterwards. */
export function droppedItems(data: DataTransfer | null): DroppedItems {
  const entries: FileSystemEntry[] = [];
  const files: File[] = [];
  for (const item of data?.items ?? []) {
    if (item.kind !== 'file') continue;
    const entry = item.webkitGetAsEntry();
    if (entry) entries.push(entry);
    else {
      const file = item.getAsFile();
      if (file) files.push(file);
    }
  }
  return { entries, files };
}

const fileOf = (entry: FileSystemFileEntry): Promise<File> => new Promise((resolve, reject) => entry.file(resolve, reject));

/** A folder's entries: readEntries answers in batches (100 in Chromium) until an empty one. */
async function childrenOf(folder: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = folder.createReader();
  const children: FileSystemEntry[] = [];
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return children;
    children.push(...batch);
  }
}

/**
 * The dropped files, and the files of each dropped folder (its subfolders' too when `recursive`), in name order per
 * folder. Hidden files (".DS_Store") are skipped.
 */
export async function filesOfDrop(dropped: DroppedItems, recursive: boolean): Promise<File[]> {
  const files = [...dropped.files];
  const walk = async (entry: FileSystemEntry, depth: number): Promise<void> => {
    if (entry.name.startsWith('.')) return;
    if (entry.isFile) {
      files.push(await fileOf(entry as FileSystemFileEntry));
    } else if (entry.isDirectory && (depth === 0 || recursive)) {
      const children = await childrenOf(entry as FileSystemDirectoryEntry);
      children.sort((a, b) => a.name.localeCompare(b.name));
      for (const child of children) await walk(child, depth + 1);
    }
  };
  for (const entry of dropped.entries) await walk(entry, 0);
  return files;
}
