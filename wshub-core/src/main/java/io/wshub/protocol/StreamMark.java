package io.wshub.protocol;

/**
 * The stream fields a message carries on a target with history (docs/history.md): pushes get
 * {@code "stream","offset","epoch"}, and the {@code connected} event and {@code join} replies
 * also {@code "recovered"}. Written after the codec's own fields, so HotGo and wsrv clients,
 * which ignore unknown members, read the rest as before.
 *
 * @param recovered null on pushes
 */
public record StreamMark(String stream, long offset, String epoch, Boolean recovered) {

    public static StreamMark of(String stream, long offset, String epoch) {
        return new StreamMark(stream, offset, epoch, null);
    }
}
