// A background worker for CodeRunner's examples: it logs a tick every two seconds, in JSON
// every fifth time, and a warning every tenth, so the Logs tab has levels to filter on.
let tick = 0;
const timer = setInterval(() => {
  tick += 1;
  if (tick % 10 === 0) {
    console.error(`WARN tick ${tick}: the queue is getting long`);
  } else if (tick % 5 === 0) {
    console.log(
      JSON.stringify({ level: 'info', msg: 'processed batch', tick }),
    );
  } else {
    console.log(`INFO tick ${tick}`);
  }
}, 2000);
process.on('SIGTERM', () => {
  clearInterval(timer);
  console.log('SIGTERM received, finishing');
  process.exit(0);
});
console.log('ticker-worker started');
