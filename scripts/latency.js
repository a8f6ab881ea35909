// Weighted by a live figure: each backend's chance is its weight divided by its latency (the moving average of time
// to first byte, or connect time for TCP), so a backend twice as slow gets half the share. Backends not yet measured
// count as fast as `assume-ms`, so that they get measured.
//   config: { assume-ms: 1 }
let assumeMs = 1;

export function init(config) {
    if (config['assume-ms'] !== undefined) {
        if (typeof config['assume-ms'] !== 'number' || config['assume-ms'] <= 0) {
            throw new Error('config.assume-ms must be a positive number');
        }
        assumeMs = config['assume-ms'];
    }
}

export function pick(request, backends) {
    let total = 0;
    const shares = new Array(backends.length);
    for (let i = 0; i < backends.length; i++) {
        const b = backends[i];
        const ms = b.latencyMs > 0 ? b.latencyMs : assumeMs;
        shares[i] = b.weight / ms;
        total += shares[i];
    }
    let r = Math.random() * total;
    for (let i = 0; i < backends.length; i++) {
        r -= shares[i];
        if (r < 0) return i;
    }
    return backends.length - 1;
}
