// A local file into a drive, as the command-line tool does it (docs/cli.md, "Upload"): 4 MiB
// chunks, each one complete gzip stream (POST /drives/DRIVE/write/OFFSET, Content-Encoding: gzip),
// a few in flight at once; a chunk that fails on a lost connection, 500 system or 409 busy is sent
// again after 0.5 s, 1 s, 2 s, 4 s; the customer's errors (usage, full, missing...) stop it.

import { ApiError, call, seg } from './api.js';

export const CHUNK = 4 * 1024 * 1024;
const PARALLEL = 3;
const RETRIES = 4;

async function gzip(blob) {
  const stream = blob.stream().pipeThrough(new CompressionStream('gzip'));
  return new Response(stream).arrayBuffer();
}

function retryable(e) {
  return !(e instanceof ApiError) || e.type === 'system' || e.type === 'busy' || e.type === 'http';
}

async function send(drive, offset, body) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call('POST', `/drives/${seg(drive)}/write/${offset}`,
        { body, headers: { 'Content-Encoding': 'gzip', 'Content-Type': 'application/octet-stream' } });
    } catch (e) {
      if (attempt >= RETRIES || !retryable(e)) throw e;
      await new Promise(resolve => setTimeout(resolve, 500 * 2 ** attempt));
    }
  }
}

/**
 * Writes file at offset 0 of drive (whose size is driveSize); progress(doneBytes, totalBytes)
 * after each chunk. A file larger than the drive is refused before anything is sent.
 */
export async function upload(file, drive, driveSize, progress) {
  if (file.size > driveSize) {
    throw new ApiError(507, 'full', `the file (${file.size} bytes) is larger than the drive (${driveSize} bytes)`);
  }
  const chunks = Math.ceil(file.size / CHUNK);
  let next = 0;
  let done = 0;
  let failed = null;
  async function worker() {
    while (next < chunks && !failed) {
      const i = next++;
      const piece = file.slice(i * CHUNK, Math.min(file.size, (i + 1) * CHUNK));
      try {
        await send(drive, i * CHUNK, await gzip(piece));
      } catch (e) {
        failed = failed || e;
        return;
      }
      done += piece.size;
      progress(done, file.size);
    }
  }
  progress(0, file.size);
  await Promise.all(Array.from({ length: Math.min(PARALLEL, chunks) }, worker));
  if (failed) throw failed;
}
