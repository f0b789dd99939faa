package io.github.multiprocessing4j.internal.hub;

import io.github.multiprocessing4j.internal.codec.Item;
import java.io.Serializable;

/** How a receive or poll on a pipe end ended: a message, end of file, nothing within the wait, or "ask elsewhere". */
public sealed interface PipeReceipt extends Serializable {
    /** The oldest message sent to this end, still encoded. */
    record Delivered(Item message) implements PipeReceipt {}

    /** Nothing is left and every process that used the other end closed it or exited. */
    record EndOfFile() implements PipeReceipt {}

    /** Nothing arrived within the wait (or the caller died meanwhile); nothing was taken. */
    record TimedOut() implements PipeReceipt {}

    /** A poll's answer: a receive would not wait (a message is there, or end of file). */
    record Ready() implements PipeReceipt {}

    /** This end's messages are kept by the hub of {@code host} now: ask there. Nothing was taken. */
    record Moved(Handle host) implements PipeReceipt {}
}
