// Route by path prefix: the longest matching prefix names the backend; unmatched paths, or a route whose backend
// is down, take turns over all backends.
//   config: { routes: { "/api/": api, "/static/": static } }
let routes = [];
let turn = 0;

export function init(config) {
    if (typeof config.routes !== 'object' || config.routes === null) {
        throw new Error('config.routes must map path prefixes to backend names');
    }
    routes = Object.entries(config.routes).map(([prefix, name]) => ({ prefix, name: String(name) }));
    routes.sort((a, b) => b.prefix.length - a.prefix.length);
}

export function pick(request, backends) {
    const path = request.path || '/';
    for (const route of routes) {
        if (path.startsWith(route.prefix)) {
            for (const b of backends) {
                if (b.name === route.name) return b;
            }
            break;
        }
    }
    return turn++ % backends.length;
}
