package dev.lb.runtime.http;

import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;

/**
 * Netty's response encoder, told when the response answers a {@code HEAD} request so that it writes no body framing
 * (a chunked HEAD response has no terminating chunk). The proxy handles one request at a time per connection, so a
 * flag set before each response head is enough.
 */
final class ProxyResponseEncoder extends HttpResponseEncoder {

    private boolean headResponse;

    void headResponse(boolean head) {
        this.headResponse = head;
    }

    @Override
    protected boolean isContentAlwaysEmpty(HttpResponse msg) {
        return headResponse || super.isContentAlwaysEmpty(msg);
    }
}
