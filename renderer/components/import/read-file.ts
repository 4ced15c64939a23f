// Files the person picks or drops into the import dialog: their text, which one is the file to
// import and which are env files it refers to, and whether it is code (a PM2 .js file).

/** A picked file's name and text. */
export interface PickedFile {
  name: string;
  content: string;
}

/** The text of a picked or dropped file (UTF-8). */
export function readText(file: File): Promise<string> {
  if (typeof file.text === 'function') return file.text();
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result ?? ''));
    reader.onerror = () => reject(reader.error ?? new Error(`could not read ${file.name}`));
    reader.readAsText(file);
  });
}

/** True for an env file (`.env`, `.env.local`, `app.env`): sent along, not imported itself. */
export function isEnvFile(name: string): boolean {
  return /^\.env(\..+)?$/i.test(name) || /\.env$/i.test(name);
}

/** True for a PM2 ecosystem file written in JavaScript: reading it means running it. */
export function isCodeFile(name: string): boolean {
  return /\.(c|m)?js$/i.test(name);
}

/** Reads dropped or picked files: the first that is not an env file is the one to import, the env files go along by name. */
export async function sortFiles(files: readonly File[]): Promise<{ main: PickedFile | null; envFiles: Record<string, string> }> {
  const read = await Promise.all(files.map(async (f) => ({ name: f.name, content: await readText(f) })));
  const main = read.find((f) => !isEnvFile(f.name)) ?? null;
  const envFiles = Object.fromEntries(read.filter((f) => f !== main && isEnvFile(f.name)).map((f) => [f.name, f.content]));
  return { main, envFiles };
}
