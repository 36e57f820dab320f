package io.wshub.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.wshub.http.HttpReply;

/**
 * Aggregates HTTP bodies up to the limit; a larger one gets the JSON 413 of docs/protocol.md §4.3. A keep-alive
 * connection stays open while the aggregator drops the rest of the body, whether the limit was
 * seen in {@code Content-Length} or in the middle of a chunked body: closing at once, with the
 * client still sending, makes the kernel reset the connection and the client never reads the
 * 413. (Netty's own handler closes in the chunked case; a client then sees a reset.)
 */
final class BoundedAggregator extends HttpObjectAggregator {
    private final int limit;

    BoundedAggregator(int limit) {
        super(limit);
        this.limit = limit;
    }

    /** {@code Expect: 100-continue} with a body over the limit: the JSON 413 instead of Netty's empty one. */
    @Override
    protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
        Object answer = super.newContinueResponse(start, maxContentLength, pipeline);
        if (answer instanceof FullHttpResponse res && res.status().code() == 413) {
            res.release();
            return HttpEntryHandler.response(HttpReply.error(413, "request body over " + limit + " bytes"), HttpUtil.isKeepAlive(start), false);
        }
        return answer;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        // MessageAggregator releases the oversized message after this returns.
        boolean keepAlive = HttpUtil.isKeepAlive(oversized);
        HttpEntryHandler.respond(ctx, HttpReply.error(413, "request body over " + limit + " bytes"), keepAlive);
    }
}
