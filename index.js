// Programmatic access to the built node and credential classes (n8n itself loads them through package.json "n8n").
module.exports = {
	...require('./dist/nodes/Nexthink/Nexthink.node.js'),
	...require('./dist/nodes/NexthinkTrigger/NexthinkTrigger.node.js'),
	...require('./dist/credentials/NexthinkApi.credentials.js'),
};
