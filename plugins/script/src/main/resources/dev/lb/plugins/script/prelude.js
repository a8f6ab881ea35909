// Evaluated once in each context, before the policy. Returns the glue the plugin calls: it turns whatever the policy's
// pick returned into a backend index in JavaScript, where the compiler can inline it, and keeps the odd value aside
// so that the plugin can say what it was.
(function () {
    'use strict';
    let lastBad = '';
    function describe(value) {
        if (value === undefined) return 'undefined';
        if (value === null) return 'null';
        if (typeof value === 'string') return JSON.stringify(value);
        if (typeof value === 'object') {
            try { return 'an object ' + JSON.stringify(value).slice(0, 80); } catch (e) { return 'an object'; }
        }
        return typeof value + ' ' + String(value);
    }
    function call(pick, request, backends, byName) {
        const r = pick(request, backends);
        if (typeof r === 'number') {
            if (Number.isInteger(r) && r >= 0 && r < backends.length) return r;
        } else if (typeof r === 'string') {
            const i = byName.get(r);
            if (i !== undefined) return i;
        } else if (r !== null && typeof r === 'object') {
            const i = backends.indexOf(r);
            if (i >= 0) return i;
        }
        lastBad = describe(r);
        return -1;
    }
    function makeBackends(count, names, hosts, ports, weights, labels, live) {
        const list = [];
        const byName = new Map();
        for (let i = 0; i < count; i++) {
            const index = i;
            const own = {};
            const pairs = labels[i];
            for (let j = 0; j + 1 < pairs.length; j += 2) own[pairs[j]] = pairs[j + 1];
            const backend = {
                index: index,
                name: names[i],
                host: hosts[i],
                port: ports[i],
                address: hosts[i] + ':' + ports[i],
                weight: weights[i],
                labels: Object.freeze(own),
                get activeConnections() { return live(index, 0); },
                get inFlightRequests() { return live(index, 1); },
                get latencyMs() { return live(index, 2) / 1e6; },
                get peakLatencyMs() { return live(index, 3) / 1e6; },
            };
            list.push(Object.freeze(backend));
            byName.set(names[i], index);
        }
        return { list: Object.freeze(list), byName: byName };
    }
    // The request the policy sees: plain JavaScript, so that reading `request.headers` costs nothing and each field
    // or header read crosses to Java once. Made once per context; the Java side points it at each call's request.
    function makeRequest(field, header, cookie) {
        const byName = (lookup) => new Proxy(Object.freeze({}), {
            get: (target, name) => (typeof name === 'string' ? lookup(name) : undefined),
            has: (target, name) => typeof name === 'string' && lookup(name) !== null,
            set: () => false,
            defineProperty: () => false,
            deleteProperty: () => false,
        });
        return Object.freeze({
            get method() { return field(0); },
            get path() { return field(1); },
            get query() { return field(2); },
            get host() { return field(3); },
            get clientAddress() { return field(4); },
            get clientPort() { return field(5); },
            get protocol() { return field(6); },
            get attempt() { return field(7); },
            headers: byName(header),
            cookies: byName(cookie),
            header: (name) => header(String(name)),
            cookie: (name) => cookie(String(name)),
        });
    }
    return {
        makeRequest: makeRequest,
        call: call,
        makeBackends: makeBackends,
        lastBad: function () { return lastBad; },
        init: function (init, json) { return init(JSON.parse(json)); },
    };
})()
