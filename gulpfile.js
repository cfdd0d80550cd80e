// Copies what tsc does not: node and credential icons, and the codex files (*.node.json).
const { src, dest, series } = require('gulp');

function copyAssets() {
	return src(['nodes/**/*.{svg,png}', 'nodes/**/*.node.json', 'credentials/**/*.{svg,png}'], {
		base: '.',
		encoding: false,
		allowEmpty: true,
	}).pipe(dest('dist'));
}

exports.build = series(copyAssets);
exports.default = exports.build;
