// By client address, for TCP or HTTP: clients listed in `pins` go to the backend named for them; every other client
// sticks to a backend chosen by a hash of its address.
//   config: { pins: { "127.0.0.1": b } }
let pins = {};

export function init(config) {
    if (config.pins !== undefined) pins = config.pins;
}

function hash(text) {
    let h = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) {
        h ^= text.charCodeAt(i);
        h = Math.imul(h, 0x01000193);
    }
    return h >>> 0;
}

export function pick(request, backends) {
    const pinned = pins[request.clientAddress];
    if (pinned !== undefined) {
        for (const b of backends) {
            if (b.name === pinned) return b;
        }
    }
    return hash(request.clientAddress) % backends.length;
}
