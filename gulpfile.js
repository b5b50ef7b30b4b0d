const { dest, parallel, src } = require('gulp');

/** Icons next to the compiled files, where `file:` icon paths point. */
function copyIcons() {
	return src('icons/*.{svg,png}', { encoding: false }).pipe(dest('dist/icons'));
}

/** Codex files (`*.node.json`) next to the compiled nodes. */
function copyCodex() {
	return src('nodes/**/*.node.json').pipe(dest('dist/nodes'));
}

exports.build = parallel(copyIcons, copyCodex);
exports.default = exports.build;
