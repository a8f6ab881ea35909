package dev.lb.runtime.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;

/**
 * Reads an HTTP/1.1 head in place, to tell whether it can be relayed as bytes (see {@link ResponseHeadScanner} and
 * {@link RequestHeadScanner}): the header lines it checks and classifies, the hop-by-hop lines it marks to be cut.
 * What a subclass does not recognise as plain is left to Netty's decoder, whose rules then apply unchanged. A
 * scan never moves the buffer's reader index. One instance per connection, reused for each head; not thread-safe.
 */
abstract class HeadScanner {

    /** What a scan found. */
    enum Verdict {
        /** The head can be relayed. */
        RELAY,
        /** The head may qualify but is not all here yet. */
        NEED_MORE,
        /** The head is for the decoder. */
        DECODE
    }

    /** Longest head scanned; a longer one (rare) goes to the decoder, which has its own limits. */
    static final int MAX_HEAD = 8 * 1024;
    /** Most hop-by-hop lines cut from one head; a head with more goes to the decoder. */
    private static final int MAX_CUTS = 8;
    static final byte CR = '\r';
    static final byte LF = '\n';
    /** Bytes that may appear in a header name or a method (RFC 9110 tchar), indexed by byte value. */
    private static final boolean[] TOKEN = new boolean[128];

    static {
        for (char c = '0'; c <= '9'; c++) {
            TOKEN[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            TOKEN[c] = true;
            TOKEN[c - 'a' + 'A'] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TOKEN[c] = true;
        }
    }

    /** Longest head this scanner takes, at most {@link #MAX_HEAD}. */
    private final int maxHead;
    /** Where the head ends in the buffer scanned (after its empty line). */
    private int headEnd;
    private final int[] cutStart = new int[MAX_CUTS];
    private final int[] cutEnd = new int[MAX_CUTS];
    private int cuts;
    /** Whether {@code Connection} said close. */
    private boolean close;
    /** Netty's decoder is in the middle of a message: the rest of it is the decoder's too. */
    private boolean decoderMidMessage;
    /** The connection's input ended: a head still incomplete goes to the decoder, which reports it as cut short. */
    private boolean inputEnded;

    /** @param maxHead the longest head to take; a longer one goes to the decoder as soon as that many bytes came */
    HeadScanner(int maxHead) {
        this.maxHead = Math.min(maxHead, MAX_HEAD);
    }

    /**
     * Looks at the head starting at {@code in}'s reader index: the first line by {@link #firstLine}, then each header
     * line by {@link #header}, then the whole by {@link #end}.
     */
    final Verdict scan(ByteBuf in) {
        int start = in.readerIndex();
        int limit = start + Math.min(in.readableBytes(), maxHead);
        boolean complete = in.readableBytes() > maxHead;
        cuts = 0;
        close = false;
        int i = firstLine(in, start, limit);
        if (i < 0) {
            return i == -1 ? needMore(complete) : Verdict.DECODE;
        }
        while (true) {
            // i is at the start of a line
            if (i == limit) {
                return needMore(complete);
            }
            if (in.getByte(i) == CR) {
                if (i + 1 == limit) {
                    return needMore(complete);
                }
                if (in.getByte(i + 1) != LF) {
                    return Verdict.DECODE;
                }
                headEnd = i + 2;
                return end(headEnd - start);
            }
            int lineStart = i;
            while (i < limit) {
                byte b = in.getByte(i);
                if (b == ':') {
                    break;
                }
                if (!isToken(b)) {
                    return Verdict.DECODE; // folded line, space before the colon, or a bad name
                }
                i++;
            }
            if (i == limit) {
                return needMore(complete);
            }
            if (i == lineStart) {
                return Verdict.DECODE;
            }
            int lineEnd = endOfText(in, i + 1, limit);
            if (lineEnd < 0) {
                return lineEnd == -1 ? needMore(complete) : Verdict.DECODE;
            }
            Boolean hopByHop = hopByHop(in, lineStart, i, lineEnd);
            if (!(hopByHop != null ? hopByHop : header(in, lineStart, i, lineEnd))) {
                return Verdict.DECODE;
            }
            i = lineEnd;
        }
    }

    private static Verdict needMore(boolean complete) {
        return complete ? Verdict.DECODE : Verdict.NEED_MORE;
    }

    /**
     * Checks the first line from {@code start}; returns the offset after its CRLF, -1 if it is not all here before
     * {@code limit}, or -2 if the head may not be relayed.
     */
    abstract int firstLine(ByteBuf in, int start, int limit);

    /**
     * Takes in one header line other than the hop-by-hop ones every head loses: the name from {@code lineStart} to
     * {@code nameEnd} (the colon), the line ending at {@code lineEnd} (after its CRLF). Returns false when the line
     * rules relaying out.
     */
    abstract boolean header(ByteBuf in, int lineStart, int nameEnd, int lineEnd);

    /** Decides on the whole head of {@code length} bytes, once every line was taken in. */
    abstract Verdict end(int length);

    static boolean isToken(byte b) {
        return b >= 0 && TOKEN[b];
    }

    /**
     * Checks the text from {@code from} to the line's CRLF: visible characters, spaces, tabs and obs-text only.
     * Returns the offset after the CRLF, -1 if the line is not all here, or -2 if it may not be relayed.
     */
    static int endOfText(ByteBuf in, int from, int limit) {
        for (int i = from; i < limit; i++) {
            byte b = in.getByte(i);
            if (b == CR) {
                if (i + 1 == limit) {
                    return -1;
                }
                return in.getByte(i + 1) == LF ? i + 2 : -2;
            }
            if (b >= 0 && b < ' ' && b != '\t' || b == 0x7f) {
                return -2;
            }
        }
        return -1;
    }

    /** Whether the bytes at {@code at} spell {@code lowerCase}, ignoring ASCII case. */
    static boolean is(ByteBuf in, int at, String lowerCase) {
        for (int k = 0; k < lowerCase.length(); k++) {
            if ((in.getByte(at + k) | 0x20) != lowerCase.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    static boolean isSpace(byte b) {
        return b == ' ' || b == '\t';
    }

    /**
     * Whether the header line is one of the hop-by-hop ones every relayed head loses ({@code Connection},
     * {@code Keep-Alive}, {@code Proxy-Connection}, {@code TE}, {@code Trailer}); it is marked to be cut, and
     * {@code Connection}'s options are read. Returns null when the line is another header, else whether the head can
     * still be relayed ({@code Connection} naming other headers, or too many cut lines, rule it out).
     */
    private Boolean hopByHop(ByteBuf in, int lineStart, int nameEnd, int lineEnd) {
        switch (nameEnd - lineStart) {
            case 2:
                return is(in, lineStart, "te") ? cut(lineStart, lineEnd) : null;
            case 7:
                return is(in, lineStart, "trailer") ? cut(lineStart, lineEnd) : null;
            case 10:
                if (is(in, lineStart, "keep-alive")) {
                    return cut(lineStart, lineEnd);
                }
                if (is(in, lineStart, "connection")) {
                    return connectionOptions(in, nameEnd + 1, lineEnd - 2) && cut(lineStart, lineEnd);
                }
                return null;
            case 16:
                return is(in, lineStart, "proxy-connection") ? cut(lineStart, lineEnd) : null;
            default:
                return null;
        }
    }

    /** Marks a line to be cut; false when there are too many. */
    final boolean cut(int lineStart, int lineEnd) {
        if (cuts == cutStart.length) {
            return false;
        }
        cutStart[cuts] = lineStart;
        cutEnd[cuts] = lineEnd;
        cuts++;
        return true;
    }

    /** Reads a {@code Connection} value; false when it names an option other than close and keep-alive. */
    private boolean connectionOptions(ByteBuf in, int from, int to) {
        int i = from;
        while (i < to) {
            while (i < to && isSpace(in.getByte(i))) {
                i++;
            }
            int tokenStart = i;
            while (i < to && in.getByte(i) != ',') {
                i++;
            }
            int tokenEnd = i;
            while (tokenEnd > tokenStart && isSpace(in.getByte(tokenEnd - 1))) {
                tokenEnd--;
            }
            int length = tokenEnd - tokenStart;
            if (length == 5 && is(in, tokenStart, "close")) {
                close = true;
            } else if (length != 0 && !(length == 10 && is(in, tokenStart, "keep-alive"))) {
                return false;
            }
            i++; // past the comma
        }
        return true;
    }

    /** Whether the head's {@code Connection} said close. */
    final boolean close() {
        return close;
    }

    /**
     * For a decoder that relays what this scanner accepts and decodes the rest: the verdict on the bytes at
     * {@code in}'s reader index, {@link Verdict#DECODE} without a look while Netty's decoder is in the middle of a
     * message (see {@link #decoded}) or once the input ended (see {@link #inputEnded()}).
     */
    final Verdict next(ByteBuf in) {
        return decoderMidMessage || inputEnded ? Verdict.DECODE : scan(in);
    }

    /**
     * Netty's decoder added {@code out} from {@code from} on. A message's head starts a message and its last content
     * ends it; while the decoder has one, its rest is the decoder's too, and the scanner looks only at what starts a
     * new one.
     */
    final void decoded(List<Object> out, int from) {
        for (int k = from; k < out.size(); k++) {
            Object message = out.get(k);
            if (message instanceof HttpMessage) {
                decoderMidMessage = true;
            }
            if (message instanceof LastHttpContent) {
                decoderMidMessage = false;
            }
        }
    }

    /** The connection's input ended: from now on, everything goes to the decoder, which reports what is cut short. */
    final void inputEnded() {
        inputEnded = true;
    }

    /** The head's length once its hop-by-hop lines are cut, without the empty line that ends it. */
    final int keptLength(ByteBuf in) {
        int length = headEnd - 2 - in.readerIndex();
        for (int k = 0; k < cuts; k++) {
            length -= cutEnd[k] - cutStart[k];
        }
        return length;
    }

    /** Where {@code position} of the buffer scanned lands in the head once its hop-by-hop lines are cut. */
    final int keptOffset(ByteBuf in, int position) {
        int offset = position - in.readerIndex();
        for (int k = 0; k < cuts && cutEnd[k] <= position; k++) {
            offset -= cutEnd[k] - cutStart[k];
        }
        return offset;
    }

    /**
     * After {@link Verdict#RELAY}: the head as a new array, without its hop-by-hop lines and without the empty line
     * that ends it; {@code in}'s reader index moves past the head.
     */
    final byte[] takeHead(ByteBuf in) {
        byte[] head = new byte[keptLength(in)];
        int end = headEnd - 2;
        int from = in.readerIndex();
        int at = 0;
        for (int k = 0; k < cuts; k++) {
            in.getBytes(from, head, at, cutStart[k] - from);
            at += cutStart[k] - from;
            from = cutEnd[k];
        }
        in.getBytes(from, head, at, end - from);
        in.readerIndex(headEnd);
        return head;
    }

    /**
     * After {@link Verdict#RELAY}: writes the head to {@code out} without its hop-by-hop lines and without the empty
     * line that ends it, and moves {@code in}'s reader index past the head.
     */
    final void takeHead(ByteBuf in, ByteBuf out) {
        int end = headEnd - 2;
        int from = in.readerIndex();
        for (int k = 0; k < cuts; k++) {
            out.writeBytes(in, from, cutStart[k] - from);
            from = cutEnd[k];
        }
        out.writeBytes(in, from, end - from);
        in.readerIndex(headEnd);
    }
}
