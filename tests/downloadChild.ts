// A stand-in for the app in the restart test: starts one download and reports its progress until killed.
import { join } from 'node:path';
import { openDatabase } from '../electron/services/store/database.ts';
import { DownloadManager } from '../electron/services/library/downloadManager.ts';

const [dataDir, url] = process.argv.slice(2) as [string, string];
const db = openDatabase(join(dataDir, 'edgewise.db'));
const manager = new DownloadManager({
  db,
  stagingDir: join(dataDir, 'downloads'),
  modelsDir: join(dataDir, 'models'),
  onChange: (r) => process.stdout.write(`received ${r.received}\n`),
});
manager.start({ uri: url });
