// The "renderer" of bench/terminal.ts: a separate process (as the app's renderer is) that parses terminal
// output (bytes, decoded by xterm itself as in the app) into an xterm buffer and reports each batch's bytes
// back once xterm has processed them.
const { Terminal } = require('@xterm/headless');

const term = new Terminal({ cols: 120, rows: 40, scrollback: 10000, allowProposedApi: true });
process.on('message', (message) => {
  if (message.t === 'data') term.write(message.data, () => process.send({ t: 'ack', bytes: message.bytes }));
  else if (message.t === 'drain') term.write('', () => process.send({ t: 'drained' }));
});
