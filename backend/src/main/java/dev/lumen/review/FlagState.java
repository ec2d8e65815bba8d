package dev.lumen.review;

import java.util.Set;

/**
 * Where a flag is in review: suggested (by "find candidates", never confirmed automatically) or open, then
 * in review, then confirmed or dismissed. Closing needs a rationale; a closed flag can be reopened.
 */
public enum FlagState {

	SUGGESTED("suggested"), OPEN("open"), IN_REVIEW("in review"), CONFIRMED("confirmed"), DISMISSED("dismissed");

	private final String title;

	FlagState(String title) {
		this.title = title;
	}

	public String title() {
		return this.title;
	}

	/** @return the states a reviewer may move a flag in this state to */
	public Set<FlagState> next() {
		return switch (this) {
			case SUGGESTED -> Set.of(OPEN, DISMISSED);
			case OPEN -> Set.of(IN_REVIEW, DISMISSED);
			case IN_REVIEW -> Set.of(OPEN, CONFIRMED, DISMISSED);
			case CONFIRMED, DISMISSED -> Set.of(OPEN);
		};
	}

	/** @return whether moving to this state closes the flag, which needs a rationale */
	public boolean closes() {
		return this == CONFIRMED || this == DISMISSED;
	}

	/** @return whether the flag still needs a reviewer's attention */
	public boolean active() {
		return !closes();
	}
}
