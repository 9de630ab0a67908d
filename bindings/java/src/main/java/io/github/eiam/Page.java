package io.github.eiam;

import java.util.List;

/**
 * One page of a list.
 *
 * @param items this page's items
 * @param total how many items the whole list has
 * @param page this page's number, from 0
 */
public record Page<T>(List<T> items, long total, int page) {
    public Page {
        items = List.copyOf(items);
    }
}
