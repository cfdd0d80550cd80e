// n8n-core writes an encryption key under N8N_USER_FOLDER when imported: keep it in a temp folder, never in $HOME.
const os = require('node:os');
const path = require('node:path');
process.env.N8N_USER_FOLDER =
	process.env.N8N_USER_FOLDER || path.join(os.tmpdir(), 'n8n-nodes-nexthink-test');
