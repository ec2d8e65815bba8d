package dev.lumen.review;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Splits comment text into plain text and mentions of features written {@code model/sae/index} (the feature
 * page's path without the leading slash). Mentions of features that exist become chips; the rest stays text.
 * Templates print every part with {@code th:text}, so nothing in a comment is ever interpreted as HTML.
 */
@Component
public class MentionParser {

	private static final Pattern MENTION = Pattern
		.compile("(?<![\\w./-])([a-z0-9][a-z0-9._-]{0,99})/([a-z0-9][a-z0-9._-]{0,99})/(\\d{1,9})(?![\\w/])");

	/** Mentions resolved per comment at most, so a pasted list cannot make one page run thousands of queries. */
	private static final int MAX_MENTIONS = 50;

	/** Text, or a chip when {@code feature} is set. */
	public record Part(String text, ReviewFeature feature) {

		public boolean isChip() {
			return this.feature != null;
		}
	}

	private final FeatureResolver features;

	public MentionParser(FeatureResolver features) {
		this.features = features;
	}

	/** @return the parts of {@code body} in order; concatenating their texts gives the body back */
	public List<Part> parse(String body) {
		List<Part> parts = new ArrayList<>();
		Matcher m = MENTION.matcher(body);
		int last = 0;
		int resolved = 0;
		while (m.find() && resolved < MAX_MENTIONS) {
			resolved++;
			var feature = this.features.find(m.group(1), m.group(2), Integer.parseInt(m.group(3)));
			if (feature.isEmpty()) {
				continue;
			}
			if (m.start() > last) {
				parts.add(new Part(body.substring(last, m.start()), null));
			}
			parts.add(new Part(m.group(), feature.get()));
			last = m.end();
		}
		if (last < body.length()) {
			parts.add(new Part(body.substring(last), null));
		}
		return parts;
	}
}
