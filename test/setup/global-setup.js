const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

module.exports = async () => {
	fs.mkdirSync(path.join(os.tmpdir(), 'n8n-nodes-nexthink-test'), { recursive: true });
};
