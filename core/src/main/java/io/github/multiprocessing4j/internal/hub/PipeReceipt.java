package io.github.multiprocessing4j.internal.hub;

import io.github.multiprocessing4j.internal.codec.Item;
import java.io.Serializable;

/** How a receive on a pipe end ended: a message, end of file, or nothing within the wait. */
public sealed interface PipeReceipt extends Serializable {
    /** The oldest message sent to this end, still encoded. */
    record Delivered(Item message) implements PipeReceipt {}

    /** Nothing is left and every process that used the other end closed it or exited. */
    record EndOfFile() implements PipeReceipt {}

    /** Nothing arrived within the wait (or the caller died meanwhile); nothing was taken. */
    record TimedOut() implements PipeReceipt {}
}
