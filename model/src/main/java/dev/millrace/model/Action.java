package dev.millrace.model;

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

  /** {@link #values()} copies its array on each call; this is read for every parsed and counted click. */
  private static final Action[] ALL = values();

  public static Optional<Action> fromWireName(String name) {
    for (Action action : ALL) {
      if (action.wireName.equals(name)) {
        return Optional.of(action);
      }
    }
    return Optional.empty();
  }
}
