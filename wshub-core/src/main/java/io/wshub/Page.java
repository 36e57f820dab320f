package io.wshub;

import java.util.List;

/** One page of a list, with the total across all pages. */
public record Page<T>(List<T> list, long total, int page, int perPage) {}
