package dev.lumen.account;

import java.util.List;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Loads logins from {@code app_user}; a disabled user cannot log in. */
@Service
public class DatabaseUserDetailsService implements UserDetailsService {

	private final AppUserRepository users;

	public DatabaseUserDetailsService(AppUserRepository users) {
		this.users = users;
	}

	@Override
	@Transactional(readOnly = true)
	public UserDetails loadUserByUsername(String username) {
		AppUser user = this.users.findByUsername(username == null ? "" : username.strip())
			.orElseThrow(() -> new UsernameNotFoundException("no such user"));
		return User.withUsername(user.getUsername())
			.password(user.getPasswordHash())
			.disabled(!user.isEnabled())
			.authorities(List.of(new SimpleGrantedAuthority(user.getRole().authority())))
			.build();
	}
}
