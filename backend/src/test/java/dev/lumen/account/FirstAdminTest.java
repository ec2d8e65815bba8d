package dev.lumen.account;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;

import org.junit.jupiter.api.Test;
import org.springframework.boot.DefaultApplicationArguments;

class FirstAdminTest {

	@Test
	void createsTheAdminFromTheEnvironmentWhenThereIsNone() {
		AccountService accounts = mock(AccountService.class);
		given(accounts.anyAdmin()).willReturn(false);
		new FirstAdmin(accounts, "root", "a long enough password").run(new DefaultApplicationArguments());
		then(accounts).should().create("system", "root", "a long enough password", Role.ADMIN);
	}

	@Test
	void doesNothingWhenAnAdminExistsOrNothingIsSet() {
		AccountService accounts = mock(AccountService.class);
		given(accounts.anyAdmin()).willReturn(true);
		new FirstAdmin(accounts, "root", "a long enough password").run(new DefaultApplicationArguments());
		AccountService empty = mock(AccountService.class);
		new FirstAdmin(empty, "", "").run(new DefaultApplicationArguments());
		then(accounts).should(never()).create(any(), any(), any(), any());
		then(empty).should(never()).create(any(), any(), any(), any());
	}

	@Test
	void aRejectedPasswordStopsTheStartWithTheReason() {
		AccountService accounts = mock(AccountService.class);
		given(accounts.create("system", "root", "short", Role.ADMIN))
			.willThrow(new IllegalArgumentException("Password too short: use at least 10 characters"));
		assertThatThrownBy(() -> new FirstAdmin(accounts, "root", "short").run(new DefaultApplicationArguments()))
			.hasMessage("Cannot create the first admin from LUMEN_ADMIN_USER: Password too short: use at least 10 characters");
	}
}
