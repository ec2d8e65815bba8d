package dev.lumen.account;

import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface AppUserRepository extends JpaRepository<AppUser, Long> {

	@Query("select u from AppUser u where lower(u.username) = lower(:username)")
	Optional<AppUser> findByUsername(String username);

	List<AppUser> findAllByOrderByUsername();

	/** @return users who may be assigned flags: reviewers and admins that are enabled */
	@Query("select u from AppUser u where u.enabled = true and u.role <> dev.lumen.account.Role.VIEWER order by u.username")
	List<AppUser> findAssignable();
}
