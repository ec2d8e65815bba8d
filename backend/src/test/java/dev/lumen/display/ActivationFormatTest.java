package dev.lumen.display;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ActivationFormatTest {

	@Test
	void formatShowsFourSignificantDigitsAcrossMagnitudes() {
		assertThat(ActivationFormat.format(3.25)).isEqualTo("3.250");
		assertThat(ActivationFormat.format(12.345678)).isEqualTo("12.35");
		assertThat(ActivationFormat.format(123.45)).isEqualTo("123.5");
		assertThat(ActivationFormat.format(-0.625)).isEqualTo("-0.625");
		assertThat(ActivationFormat.format(0)).isEqualTo("0");
		assertThat(ActivationFormat.format(0.00012)).isEqualTo("1.2e-4");
		assertThat(ActivationFormat.format(12345)).isEqualTo("1.2e4");
		assertThat(ActivationFormat.format(-0.0004)).isEqualTo("-4.0e-4");
		assertThat(ActivationFormat.format(0.00012)).isEqualTo("1.2e-4");
		assertThat(ActivationFormat.percent(0.0125)).isEqualTo("1.25%");
	}

	@Test
	void fixedAgreesWithStringFormatOnRandomValues() {
		Random random = new Random(3);
		for (int i = 0; i < 10_000; i++) {
			// values away from ties, where half-up and half-even rounding agree
			double v = (random.nextDouble() - 0.5) * 200;
			for (int d = 1; d <= 3; d++) {
				double scaled = Math.abs(v) * Math.pow(10, d);
				if (Math.abs(scaled - Math.floor(scaled) - 0.5) < 1e-6) {
					continue;
				}
				String expected = String.format(Locale.ROOT, "%." + d + "f", v);
				if (expected.matches("-0\\.0+")) {
					expected = expected.substring(1);
				}
				assertThat(ActivationFormat.fixed(v, d)).as("%s with %d decimals", v, d).isEqualTo(expected);
			}
		}
	}
}
