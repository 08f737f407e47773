// Browser stand-in for Node's `os`; adaptive-expressions' eol() reads only EOL.
module.exports = { EOL: '\n' };
