package dev.millrace.model;

import java.util.Arrays;
import java.util.Optional;

/** What a user did on a page; the wire names are the contract's lower-case strings. */
public enum Action {
  VIEW("view"),
  CLICK("click"),
  ADD_TO_CART("add_to_cart"),
  PURCHASE("purchase");

  private final String wireName;

  Action(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static Optional<Action> fromWireName(String name) {
    return Arrays.stream(values()).filter(a -> a.wireName.equals(name)).findFirst();
  }
}
