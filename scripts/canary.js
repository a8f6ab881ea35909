// Canary by header: requests with `X-Canary: 1`, and a share of the others, go to the canary backend;
// the rest take turns on the stable backends.
//   config: { canary: <backend name>, percent: 5, header: X-Canary }
let canary = 'canary';
let percent = 5;
let header = 'x-canary';
let turn = 0;

export function init(config) {
    if (typeof config.canary !== 'string') throw new Error('config.canary must name the canary backend');
    canary = config.canary;
    if (config.percent !== undefined) {
        if (typeof config.percent !== 'number' || config.percent < 0 || config.percent > 100) {
            throw new Error('config.percent must be a number from 0 to 100');
        }
        percent = config.percent;
    }
    if (config.header !== undefined) header = String(config.header).toLowerCase();
}

export function pick(request, backends) {
    const wantsCanary = request.headers[header] === '1' || Math.random() * 100 < percent;
    let stableCount = 0;
    let canaryBackend = null;
    for (const b of backends) {
        if (b.name === canary) canaryBackend = b; else stableCount++;
    }
    if (wantsCanary && canaryBackend !== null) return canaryBackend;
    if (stableCount === 0) return canaryBackend;
    // Round robin over the stable ones, skipping the canary.
    let n = turn++ % stableCount;
    for (const b of backends) {
        if (b.name === canary) continue;
        if (n-- === 0) return b;
    }
    return null;
}
