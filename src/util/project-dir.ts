// Where this labkit checkout is: the folder holding the Vagrantfile, lab.config.yaml, labs/ and .lab/. At the
// bottom (src/util) because the defaults of several layers start here (the labs folder, the state folder).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
