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

// The backends array is the same object for as long as the pool does not change, so its split into canary and
// stable ones is made once per change, not per request.
let splitOf = null;
let canaryBackend = null;
let stable = [];

function split(backends) {
    splitOf = backends;
    canaryBackend = null;
    stable = [];
    for (const b of backends) {
        if (b.name === canary) canaryBackend = b; else stable.push(b);
    }
    turn = 0;
}

export function pick(request, backends) {
    if (backends !== splitOf) split(backends);
    if (canaryBackend !== null && (request.headers[header] === '1' || Math.random() * 100 < percent)) {
        return canaryBackend;
    }
    if (stable.length === 0) return canaryBackend;
    turn = turn + 1 < stable.length ? turn + 1 : 0;
    return stable[turn];
}
