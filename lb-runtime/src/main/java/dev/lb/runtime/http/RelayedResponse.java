package dev.lb.runtime.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/**
 * A backend's response passed on as bytes rather than as decoded HTTP objects (see {@link ResponseHeadScanner}):
 * its {@link Head}, then its body in {@link Body} pieces, the last one marked; or, for a small body that came with
 * the head, the head holding the whole body. {@link BackendResponseDecoder} makes
 * them and {@link ProxyResponseEncoder} writes their bytes to the client as they are.
 */
abstract sealed class RelayedResponse extends Relayed {

    private RelayedResponse(ByteBuf bytes) {
        super(bytes);
    }

    /**
     * The status line and header lines for the client, the backend's hop-by-hop lines already cut; {@link #finish}
     * adds the proxy's own lines and the empty line that ends the head.
     */
    static final class Head extends RelayedResponse {

        /** Room {@link #finish} may need: {@code Via} and {@code Connection: close} lines and the final CRLF. */
        static final int SPARE = 48;
        /** Largest body carried by its head when it came with it (then copied behind the head: one write). */
        static final int WHOLE_BODY_LIMIT = 4 * 1024;
        private static final byte[] CLOSE = "connection: close\r\n".getBytes(StandardCharsets.US_ASCII);

        private final int status;
        private final long contentLength;
        private final boolean keepAlive;
        /** The whole body, when it came with the head; no {@link Body} follows then. */
        private ByteBuf body;

        Head(ByteBuf bytes, int status, long contentLength, boolean keepAlive, ByteBuf body) {
            super(bytes);
            this.status = status;
            this.contentLength = contentLength;
            this.keepAlive = keepAlive;
            this.body = body;
        }

        /** Whether the whole body is here: no {@link Body} follows, and {@link #finish} puts it behind the head. */
        boolean whole() {
            return body != null;
        }

        int status() {
            return status;
        }

        long contentLength() {
            return contentLength;
        }

        /** Whether the backend keeps its connection open after this response. */
        boolean keepAlive() {
            return keepAlive;
        }

        /**
         * Completes the head: {@code Via} with {@code via}, {@code Connection: close} with {@code close}; then the
         * whole body, when it came with the head.
         */
        void finish(boolean via, boolean close) {
            ByteBuf bytes = content();
            if (via) {
                bytes.writeBytes(VIA_LINE);
            }
            if (close) {
                bytes.writeBytes(CLOSE);
            }
            bytes.writeBytes(CRLF);
            if (body != null) {
                bytes.writeBytes(body);
                releaseBody();
            }
        }

        // Dropped unwritten (the exchange is gone): the body goes with the head.
        @Override
        public boolean release() {
            releaseBody();
            return super.release();
        }

        @Override
        public boolean release(int decrement) {
            releaseBody();
            return super.release(decrement);
        }

        private void releaseBody() {
            if (body != null) {
                body.release();
                body = null;
            }
        }
    }

    /** A piece of the body, as read from the backend. */
    static final class Body extends RelayedResponse {

        /** The end of a body of no bytes. */
        static final Body EMPTY_LAST = new Body(Unpooled.EMPTY_BUFFER, true);

        private final boolean last;

        Body(ByteBuf bytes, boolean last) {
            super(bytes);
            this.last = last;
        }

        /** Whether this piece ends the body. */
        boolean last() {
            return last;
        }
    }
}
