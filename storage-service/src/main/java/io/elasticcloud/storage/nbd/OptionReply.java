package io.elasticcloud.storage.nbd;

/** The header of one option reply: the option it answers, its reply type, and how many data bytes follow. */
record OptionReply(int option, int type, int length) {

    boolean isError() {
        return (type & NbdProtocol.REP_FLAG_ERROR) != 0;
    }
}
