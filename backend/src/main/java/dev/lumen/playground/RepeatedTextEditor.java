package dev.lumen.playground;

import java.beans.PropertyEditorSupport;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Binds a repeated free-text form field ({@code turnContent}) to a list exactly as sent: Spring's default
 * conversion would split a single value at its commas ("Hi, how are you?" would become two turns).
 */
final class RepeatedTextEditor extends PropertyEditorSupport {

	@Override
	public void setAsText(String text) {
		super.setValue(new ArrayList<>(List.of(text)));
	}

	@Override
	public void setValue(Object value) {
		if (value instanceof String[] values) {
			super.setValue(new ArrayList<>(Arrays.asList(values)));
		}
		else if (value instanceof String text) {
			setAsText(text);
		}
		else {
			super.setValue(value);
		}
	}
}
