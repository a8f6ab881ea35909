// Sticky by cookie: a client that carries the session cookie always lands on the same backend while that backend is
// healthy (rendezvous hashing, so only the clients of a backend that leaves move). Clients without it take turns.
//   config: { cookie: SESSION }
let cookie = 'SESSION';
let turn = 0;

export function init(config) {
    if (config.cookie !== undefined) cookie = String(config.cookie);
}

// FNV-1a over the characters of a string: small, fast and stable across runs.
function hash(text) {
    let h = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) {
        h ^= text.charCodeAt(i);
        h = Math.imul(h, 0x01000193);
    }
    return h >>> 0;
}

export function pick(request, backends) {
    const session = request.cookies[cookie];
    if (session === null || session === undefined) return turn++ % backends.length;
    let best = 0;
    let bestScore = -1;
    for (let i = 0; i < backends.length; i++) {
        const score = hash(session + '|' + backends[i].name);
        if (score > bestScore) {
            bestScore = score;
            best = i;
        }
    }
    return best;
}
